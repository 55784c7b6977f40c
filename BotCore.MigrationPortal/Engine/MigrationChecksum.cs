using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Engine;

/// <summary>SHA-256 of a migration's source with line endings normalised, so a checkout on Windows gives the same checksum.</summary>
public static class MigrationChecksum
{
    public static string Of(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Replace("\r\n", "\n").Replace('\r', '\n'))));

    /// <summary>The source embedded at build time under <c>migrations/&lt;file&gt;</c>.</summary>
    public static string? EmbeddedSource(Assembly assembly, string fileName)
    {
        using var stream = assembly.GetManifestResourceStream($"migrations/{fileName}");
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
