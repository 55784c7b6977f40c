using MongoDB.Driver;
using Testcontainers.MongoDb;

[assembly: AssemblyFixture(typeof(BotCore.MigrationPortal.Tests.Integration.MongoFixture))]

namespace BotCore.MigrationPortal.Tests.Integration;

/// <summary>
/// One MongoDB 7 replica set for the whole test run: the one <c>MONGODB_URI</c> names, or else a
/// Testcontainers container. Decided once; where neither is available every integration test is reported
/// as skipped with the reason, never passed.
/// </summary>
public sealed class MongoFixture : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentBag<string> databases = [];
    private MongoDbContainer? container;
    private MongoClient? client;

    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var uri = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrWhiteSpace(uri))
        {
            ConnectionString = uri;
            client = new MongoClient(uri);
            return;
        }
        try
        {
            container = new MongoDbBuilder("mongo:7.0").WithReplicaSet().Build();
            await container.StartAsync();
            // The member advertises its in-container host name; connect to the mapped port directly.
            ConnectionString = new MongoUrlBuilder(container.GetConnectionString()) { DirectConnection = true }.ToString();
            client = new MongoClient(ConnectionString);
        }
        catch (Exception e)
        {
            SkipReason = "Needs MongoDB 7 (a replica set): MONGODB_URI is not set and Docker is not available for Testcontainers " +
                $"({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})";
        }
    }

    public string? ConnectionString { get; private set; }

    /// <summary>A fresh database for one test; skips the test when no MongoDB is available.</summary>
    public IMongoDatabase NewDatabase()
    {
        Assert.SkipWhen(client is null, SkipReason ?? "no MongoDB");
        var name = $"it_{Guid.NewGuid():N}"[..30];
        databases.Add(name);
        return client!.GetDatabase(name);
    }

    /// <summary>A second client, as a second portal instance would have.</summary>
    public MongoClient NewClient()
    {
        Assert.SkipWhen(client is null, SkipReason ?? "no MongoDB");
        return new MongoClient(ConnectionString);
    }

    /// <summary>Forgets a database made outside <see cref="NewDatabase"/> (a scratch one), so that it is dropped too.</summary>
    public void Track(string database) => databases.Add(database);

    public async ValueTask DisposeAsync()
    {
        // A shared MONGODB_URI server must not fill up with test databases.
        if (client is not null)
        {
            foreach (var name in databases) await client.DropDatabaseAsync(name);
        }
        client?.Dispose();
        if (container is not null) await container.DisposeAsync();
    }
}
