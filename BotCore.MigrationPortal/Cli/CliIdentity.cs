using System.Security.Cryptography;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Cli;

/// <summary>Who a CLI run is recorded as in the changelog, and its run id.</summary>
public static class CliIdentity
{
    public static string User => $"{Environment.UserName}@{Environment.MachineName} (cli)";

    /// <summary>
    /// Whoever may run the portal's executable against its store and targets holds their connection strings: the portal's services
    /// take them as a trusted Admin (their rules still apply to what is done, and the audit log names them as <see cref="User"/>).
    /// </summary>
    public static Caller Caller => new TrustedCaller(Actor);

    public static Actor Actor => new(User, Role.Admin);

    public static string NewRunId(TimeProvider time) =>
        $"cli-{time.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
