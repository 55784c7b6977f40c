using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace BotCore.MigrationPortal.Engine;

/// <summary>SHA-256 of a migration's source with line endings normalised, so a checkout on Windows gives the same checksum.</summary>
public static class MigrationChecksum
{
    public static string Of(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Replace("\r\n", "\n").Replace('\r', '\n'))));

    /// <summary>The source embedded at build time under <c>&lt;folder&gt;/&lt;file&gt;</c>: <c>migrations/</c>, or <c>fixes/</c> for the data fixes.</summary>
    public static string? EmbeddedSource(Assembly assembly, string fileName, string folder = "migrations")
    {
        using var stream = assembly.GetManifestResourceStream($"{folder}/{fileName}");
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
