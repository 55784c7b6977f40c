using System.Net;
using BotCore.MigrationPortal.Targets;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>One reading of the driver's failures for the targets, backups, checks, the portal store and the CLI.</summary>
public sealed class MongoFailuresTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db.internal", 27017)));

    [Fact]
    public void No_answer_is_unreachable_and_the_advice_is_to_start_MongoDB_or_fix_the_host()
    {
        var failure = MongoFailures.Classify(new TimeoutException("A timeout occurred after 5000ms selecting a server"))!;

        Assert.Equal(MongoFailureKind.Unreachable, failure.Kind);
        Assert.Equal("no server answered in time", failure.Reason);
        Assert.Contains("Targets__staging__ConnectionString", failure.Advice("staging"));
    }

    [Fact]
    public void Refused_credentials_ask_for_the_user_name_or_password_not_for_MongoDB_to_be_started()
    {
        var failure = MongoFailures.Classify(new MongoAuthenticationException(Connection, "Unable to authenticate"))!;

        Assert.Equal(MongoFailureKind.Credentials, failure.Kind);
        Assert.StartsWith("Fix the user name or password", failure.Advice("staging"));
    }

    [Fact]
    public void A_missing_privilege_names_the_privilege_error_and_asks_for_the_roles()
    {
        var reply = new BsonDocument { { "ok", 0 }, { "code", 13 }, { "codeName", "Unauthorized" }, { "errmsg", "not authorized on bot_core_db" } };

        var failure = MongoFailures.Classify(new MongoCommandException(Connection, "Command failed", new BsonDocument("find", "users"), reply))!;

        Assert.Equal(MongoFailureKind.Privilege, failure.Kind);
        Assert.Contains("(Unauthorized)", failure.Reason);
        Assert.Contains("readWrite and dbAdmin", failure.Advice("staging"));
    }

    [Fact]
    public void A_cancelled_operation_that_surfaced_as_a_connection_error_is_not_an_outage() =>
        Assert.Null(MongoFailures.Classify(new MongoConnectionException(Connection, "closed", new OperationCanceledException())));

    [Fact]
    public void Other_failures_are_not_read_as_the_server_being_unusable()
    {
        var duplicate = new BsonDocument { { "ok", 0 }, { "code", 11000 }, { "codeName", "DuplicateKey" } };

        Assert.Null(MongoFailures.Classify(new MongoCommandException(Connection, "E11000", new BsonDocument("insert", "users"), duplicate)));
        Assert.Null(MongoFailures.Classify(new InvalidOperationException("a bug")));
    }
}
