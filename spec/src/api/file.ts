import type { GroupFileEntity, GroupFolderEntity } from '../entities.ts';
import type { Uin } from '../scalars.ts';

/** File APIs: friend and group files, and group folders. */
export interface FileApis {
  /** Sends a file to a friend. */
  upload_private_file: { input: UploadPrivateFileInput; output: UploadPrivateFileOutput };
  /** Uploads a file to a group. */
  upload_group_file: { input: UploadGroupFileInput; output: UploadGroupFileOutput };
  /**
   * Returns a download URL for a file sent in a friend chat.
   * @readOnly
   */
  get_private_file_download_url: { input: GetPrivateFileDownloadUrlInput; output: GetPrivateFileDownloadUrlOutput };
  /**
   * Returns a download URL for a group file.
   * @readOnly
   */
  get_group_file_download_url: { input: GetGroupFileDownloadUrlInput; output: GetGroupFileDownloadUrlOutput };
  /**
   * Lists the files and folders in a folder of a group.
   * @readOnly
   */
  get_group_files: { input: GetGroupFilesInput; output: GetGroupFilesOutput };
  /** Moves a group file to another folder. */
  move_group_file: { input: MoveGroupFileInput };
  /** Renames a group file. */
  rename_group_file: { input: RenameGroupFileInput };
  /** Deletes a group file. */
  delete_group_file: { input: DeleteGroupFileInput };
  /**
   * Makes a group file that expires permanent: afterwards it has no `expire_time`.
   * @since 1.3
   */
  persist_group_file: { input: PersistGroupFileInput };
  /** Creates a folder in a group's file area. */
  create_group_folder: { input: CreateGroupFolderInput; output: CreateGroupFolderOutput };
  /** Renames a group folder. */
  rename_group_folder: { input: RenameGroupFolderInput };
  /** Deletes a group folder. */
  delete_group_folder: { input: DeleteGroupFolderInput };
}

/** Parameters of `upload_private_file`. */
export interface UploadPrivateFileInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /** Where the file comes from: a `file://`, `http(s)://` or `base64://` URI. */
  file_uri: string;
  /** Name to give the file. */
  file_name: string;
}

/** Result of `upload_private_file`. */
export interface UploadPrivateFileOutput {
  /** Identifier of the sent file. */
  file_id: string;
}

/** Parameters of `upload_group_file`. */
export interface UploadGroupFileInput {
  /** Group number. */
  group_id: Uin;
  /**
   * Identifier of the folder to upload into.
   * @default "/"
   */
  parent_folder_id?: string | null;
  /** Where the file comes from: a `file://`, `http(s)://` or `base64://` URI. */
  file_uri: string;
  /** Name to give the file. */
  file_name: string;
}

/** Result of `upload_group_file`. */
export interface UploadGroupFileOutput {
  /** Identifier of the uploaded file. */
  file_id: string;
}

/** Parameters of `get_private_file_download_url`. */
export interface GetPrivateFileDownloadUrlInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /** TriSHA1 hash of the file, from the segment or event that announced it. */
  file_hash: string;
  /**
   * Whether the bot account sent the file itself; otherwise the friend sent it.
   * @default false
   * @since 1.3
   */
  is_self_send?: boolean | null;
}

/** Result of `get_private_file_download_url`. */
export interface GetPrivateFileDownloadUrlOutput {
  /** Download URL. */
  download_url: string;
}

/** Parameters of `get_group_file_download_url`. */
export interface GetGroupFileDownloadUrlInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
}

/** Result of `get_group_file_download_url`. */
export interface GetGroupFileDownloadUrlOutput {
  /** Download URL. */
  download_url: string;
}

/** Parameters of `get_group_files`. */
export interface GetGroupFilesInput {
  /** Group number. */
  group_id: Uin;
  /**
   * Identifier of the folder to list.
   * @default "/"
   */
  parent_folder_id?: string | null;
}

/** Result of `get_group_files`. */
export interface GetGroupFilesOutput {
  /** Files in the folder. */
  files: GroupFileEntity[];
  /** Folders in the folder. */
  folders: GroupFolderEntity[];
}

/** Parameters of `move_group_file`. */
export interface MoveGroupFileInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /**
   * Identifier of the folder the file is in now.
   * @default "/"
   */
  parent_folder_id?: string | null;
  /**
   * Identifier of the folder to move the file into.
   * @default "/"
   */
  target_folder_id?: string | null;
}

/** Parameters of `rename_group_file`. */
export interface RenameGroupFileInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /**
   * Identifier of the folder the file is in.
   * @default "/"
   */
  parent_folder_id?: string | null;
  /** The new name. */
  new_file_name: string;
}

/** Parameters of `delete_group_file`. */
export interface DeleteGroupFileInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
}

/** Parameters of `persist_group_file`. */
export interface PersistGroupFileInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
}

/** Parameters of `create_group_folder`. */
export interface CreateGroupFolderInput {
  /** Group number. */
  group_id: Uin;
  /** Name of the new folder. */
  folder_name: string;
}

/** Result of `create_group_folder`. */
export interface CreateGroupFolderOutput {
  /** Identifier of the new folder. */
  folder_id: string;
}

/** Parameters of `rename_group_folder`. */
export interface RenameGroupFolderInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the folder. */
  folder_id: string;
  /** The new name. */
  new_folder_name: string;
}

/** Parameters of `delete_group_folder`. */
export interface DeleteGroupFolderInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the folder. */
  folder_id: string;
}
