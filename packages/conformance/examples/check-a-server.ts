import { runConformance } from '@milky/conformance';
import { ReferenceServer } from '@milky/reference-server';

// Any Milky server will do; here, the reference server on a free port.
await using server = await ReferenceServer.create({ accessToken: 'secret', port: 0 });
const { url } = await server.listen();

const report = await runConformance({ url, token: 'secret' });
const failed = report.results.filter((result) => result.status === 'fail');
console.log(report.ok, failed.length, report.counts.pass > 40); // true 0 true
