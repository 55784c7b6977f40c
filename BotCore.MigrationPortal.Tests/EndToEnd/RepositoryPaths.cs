using System.Reflection;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>Where the repository and the portal's own build output are, seen from the test assembly.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Screenshots => Path.Combine(Root, "docs", "screenshots");

    /// <summary>The portal as `dotnet build` left it, in the same configuration as these tests.</summary>
    public static string PortalDll
    {
        get
        {
            var configuration = typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(Root, "BotCore.MigrationPortal", "bin", configuration, "net10.0", "BotCore.MigrationPortal.dll");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BotCore.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No BotCore.sln above {AppContext.BaseDirectory}.");
    }
}
