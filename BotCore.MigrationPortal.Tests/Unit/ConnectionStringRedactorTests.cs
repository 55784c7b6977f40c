using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class ConnectionStringRedactorTests
{
    [Theory]
    [InlineData("mongodb://localhost:27017/?directConnection=true", "mongodb://localhost:27017/bot_core_db")]
    [InlineData("mongodb://admin:s3cret@127.0.0.1:1/?directConnection=true", "mongodb://***@127.0.0.1:1/bot_core_db")]
    [InlineData("mongodb://admin:s3cret@h1:27017,h2:27018/admin?replicaSet=rs0&authSource=admin", "mongodb://***@h1:27017,h2:27018/bot_core_db")]
    [InlineData("mongodb://mongo/?replicaSet=rs0", "mongodb://mongo:27017/bot_core_db")]
    [InlineData(null, "(no connection string)/bot_core_db")]
    [InlineData("  ", "(no connection string)/bot_core_db")]
    [InlineData("mongodb://admin:s3cret@127.0.0.1:notaport/", "(invalid connection string)/bot_core_db")]
    [InlineData("http://admin:s3cret@example.org/", "(invalid connection string)/bot_core_db")]
    public void Shows_scheme_hosts_and_database_but_no_credentials_or_options(string? connectionString, string expected)
    {
        var redacted = ConnectionStringRedactor.Redact(connectionString, "bot_core_db");

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("s3cret", redacted);
        Assert.DoesNotContain("admin", redacted);
    }
}
