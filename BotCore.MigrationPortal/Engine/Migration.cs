using System.Runtime.CompilerServices;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Engine;

/// <summary>
/// One schema version: its version, what it is for, and its ordered steps. Declared in <c>migrations/</c>,
/// one class per file; the file's name links the class to its embedded source (and so to its checksum).
/// </summary>
public abstract class Migration
{
    protected Migration(string version, string description, [CallerFilePath] string sourcePath = "")
    {
        Version = SchemaVersion.Parse(version);
        Description = description;
        SourceFileName = Path.GetFileName(sourcePath.Replace('\\', '/'));
    }

    public SchemaVersion Version { get; }

    public string Description { get; }

    /// <summary>The file that declares this migration, for example <c>001_InitialSchema.cs</c>.</summary>
    public string SourceFileName { get; }

    public abstract IReadOnlyList<IMigrationStep> Steps { get; }
}
