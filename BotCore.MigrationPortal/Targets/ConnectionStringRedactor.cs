using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>Turns a connection string into something safe to show: scheme, hosts and database, no user, password or options.</summary>
public static class ConnectionStringRedactor
{
    public static string Redact(string? connectionString, string database)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return $"(no connection string)/{database}";
        try
        {
            var url = new MongoUrl(connectionString);
            var scheme = url.Scheme == MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv ? "mongodb+srv" : "mongodb";
            var credentials = url.Username is null ? "" : "***@";
            return $"{scheme}://{credentials}{string.Join(",", url.Servers.Select(s => $"{s.Host}:{s.Port}"))}/{database}";
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            return $"(invalid connection string)/{database}";
        }
    }
}
