using BotCore.MigrationPortal.Backups.Mongo;

namespace BotCore.MigrationPortal.Doctor.Lines;

/// <summary>The server's version and featureCompatibilityVersion (FCV).</summary>
public static class ServerVersionLine
{
    public const string Id = "server";
    public const string Title = "Server version";

    /// <summary>Time series (market_data) need 5.0; the portal is built and tested on 7.0.</summary>
    private static readonly MongoServerVersion Minimum = new(5, 0, 0);
    private static readonly MongoServerVersion Tested = new(7, 0, 0);

    public static DoctorLine Evaluate(MongoServerVersion version, FeatureCompatibility fcv)
    {
        var binary = $"{version.Major}.{version.Minor}";
        var fcvText = fcv.Version is { } v ? $"featureCompatibilityVersion {v}" : $"featureCompatibilityVersion unknown ({fcv.Problem})";
        var finding = $"MongoDB {version}, {fcvText}";
        if (Compare(version, Minimum) < 0)
        {
            return DoctorLine.Fail(Id, Title, finding, "Upgrade the server to MongoDB 7.0: time-series collections need 5.0 at least.");
        }
        if (fcv.Version is { } set && IsLower(set, version))
        {
            return DoctorLine.Warn(Id, Title, $"{finding}, lower than the server's {binary}",
                $"Once you will not downgrade, run db.adminCommand({{ setFeatureCompatibilityVersion: \"{binary}\", confirm: true }}) so that {binary}'s features are on.");
        }
        if (fcv.Version is null)
        {
            return DoctorLine.Warn(Id, Title, finding, fcv.Advice ??
                "Grant the user clusterMonitor (getParameter on the cluster) to see it, or check it as an administrator; the portal needs it at the server's version.");
        }
        if (Compare(version, Tested) < 0)
        {
            return DoctorLine.Warn(Id, Title, finding, "The portal is tested on MongoDB 7.0: upgrade when you can.");
        }
        return DoctorLine.Pass(Id, Title, finding);
    }

    private static bool IsLower(string fcv, MongoServerVersion version)
    {
        var parts = fcv.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor)
            && (major, minor).CompareTo((version.Major, version.Minor)) < 0;
    }

    private static int Compare(MongoServerVersion a, MongoServerVersion b) => (a.Major, a.Minor, a.Patch).CompareTo((b.Major, b.Minor, b.Patch));
}
