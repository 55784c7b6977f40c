using BotCore.MigrationPortal.Backups.Layout;

namespace BotCore.MigrationPortal.Backups.Storage;

/// <summary>
/// Where a backup's files are: <c>&lt;root&gt;/&lt;id&gt;/manifest.json</c> and, as mongodump lays them out,
/// <c>&lt;root&gt;/&lt;id&gt;/&lt;database&gt;/&lt;collection&gt;.bson.gz</c> and <c>.metadata.json.gz</c>, so that
/// <c>mongorestore --gzip --dir &lt;root&gt;/&lt;id&gt;</c> reads the folder too (it skips the manifest). The database folder is
/// the database's name as it is, as mongodump writes it and mongorestore reads it (no database name holds a path separator).
/// </summary>
public sealed record BackupPaths(string Root)
{
    public const string ManifestFileName = "manifest.json";

    public string Folder(string backupId) => Path.Combine(Root, backupId);

    public string Manifest(string backupId) => Path.Combine(Folder(backupId), ManifestFileName);

    public BackupFiles Files(string backupId, string database) => new(Path.Combine(Folder(backupId), database));
}

/// <summary>The files of one database in a backup.</summary>
public sealed record BackupFiles(string DatabaseFolder)
{
    private const int BufferSize = 1024 * 1024;

    /// <param name="type">The collection's type: a time series' documents are its buckets, in their own file.</param>
    public string Data(string collection, string type) => Path.Combine(DatabaseFolder, DumpFileNames.Data(collection, type));

    public string Metadata(string collection) => Path.Combine(DatabaseFolder, DumpFileNames.Metadata(collection));

    public static FileStream Create(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <exception cref="BackupFileDamagedException">The file is not there.</exception>
    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupFileDamagedException(Path.GetFileName(path), "it is missing", e);
        }
    }

    public static long SizeOf(params string[] paths) => paths.Sum(path => new FileInfo(path).Length);
}
