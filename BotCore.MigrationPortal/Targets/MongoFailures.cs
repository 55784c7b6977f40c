using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

public enum MongoFailureKind
{
    /// <summary>No server answered, or the connection broke.</summary>
    Unreachable,

    /// <summary>The server refused the user name or password.</summary>
    Credentials,

    /// <summary>The user is known but lacks a privilege for the operation.</summary>
    Privilege,
}

/// <summary>Why a MongoDB server could not be used, and what the DBA does about it.</summary>
public sealed record MongoFailure(MongoFailureKind Kind, string Reason)
{
    public string Advice(string target) => Kind switch
    {
        MongoFailureKind.Unreachable => $"Start MongoDB (docker compose up -d mongo) or fix the host in Targets__{target}__ConnectionString.",
        MongoFailureKind.Credentials => $"Fix the user name or password in Targets__{target}__ConnectionString.",
        _ => "Grant the target's user the roles the README lists (readWrite and dbAdmin on the target database).",
    };
}

/// <summary>
/// The one place that reads the driver's exceptions for "this server cannot be used": the targets, backups and checks all
/// give the same reason and advice. The driver's own messages are not passed on: they may name hosts and say little.
/// </summary>
public static class MongoFailures
{
    private const int Unauthorized = 13;

    /// <returns>Null for anything else, including a cancelled operation that surfaced as a connection error.</returns>
    public static MongoFailure? Classify(Exception e) => e switch
    {
        MongoAuthenticationException => new(MongoFailureKind.Credentials, "the server refused the credentials"),
        MongoCommandException { Code: Unauthorized } command => new(MongoFailureKind.Privilege, $"the user lacks a privilege for this operation ({command.CodeName})"),
        TimeoutException => new(MongoFailureKind.Unreachable, "no server answered in time"),
        MongoConnectionException { InnerException: OperationCanceledException } => null,
        MongoConnectionException => new(MongoFailureKind.Unreachable, "the connection failed"),
        // What is left after the driver's one retry of a read or write while the replica set elects a new primary.
        MongoNotPrimaryException or MongoNodeIsRecoveringException => new(MongoFailureKind.Unreachable, "the replica set is changing its primary (a failover)"),
        MongoConnectionPoolPausedException => new(MongoFailureKind.Unreachable, "the connection to the server was lost"),
        _ => null,
    };
}
