using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotCore.MigrationPortal.Backups.Storage;

/// <summary>The manifest file's JSON: camelCase, indented for people who open it, enums by name.</summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Task WriteAsync(Stream destination, BackupManifest manifest, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(destination, manifest, Options, cancellationToken);

    /// <exception cref="JsonException">Not a manifest.</exception>
    public static async Task<BackupManifest> ReadAsync(Stream source, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<BackupManifest>(source, Options, cancellationToken) ?? throw new JsonException("The manifest is empty.");
}
