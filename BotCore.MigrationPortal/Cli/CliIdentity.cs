using System.Security.Cryptography;

namespace BotCore.MigrationPortal.Cli;

/// <summary>Who a CLI run is recorded as in the changelog, and its run id.</summary>
public static class CliIdentity
{
    public static string User => $"{Environment.UserName}@{Environment.MachineName} (cli)";

    public static string NewRunId(TimeProvider time) =>
        $"cli-{time.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
