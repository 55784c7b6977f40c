using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Tests.Unit.Backups;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Tests.Integration.Doctor;

/// <summary>The doctor against a real MongoDB 7 replica set (skipped, with the reason, where there is none), composed as the portal composes it.</summary>
public sealed class DoctorIntegrationTests(MongoFixture mongo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<DoctorReport> ExamineAsync(string connectionString, string database)
    {
        using var portal = new BackupHarness(connectionString, database);
        return await portal.Services.GetRequiredService<TargetDoctor>().ExamineAsync("it", "test", Token);
    }

    [Fact]
    public async Task A_replica_set_answers_every_line_and_none_fails()
    {
        var database = mongo.NewDatabase();
        await database.GetCollection<BsonDocument>("trades").InsertOneAsync(new BsonDocument("quantity", 1), cancellationToken: Token);

        // As the least-privileged target user the README documents: no line may fail for it.
        var report = await ExamineAsync(mongo.ConnectionStringFor(database), database.DatabaseNamespace.DatabaseName);

        Assert.Null(report.Unreachable);
        Assert.DoesNotContain(report.Lines, line => line.Outcome == DoctorOutcome.Fail);
        Assert.DoesNotContain(report.Lines, line => line.Simulated);
        var lines = report.Lines.ToDictionary(l => l.Id);
        Assert.StartsWith("MongoDB 7.", lines["server"].Finding);
        Assert.StartsWith("replica set ", lines["topology"].Finding);
        Assert.EndsWith("change streams available, transactions available", lines["topology"].Finding);
        Assert.Equal(DoctorOutcome.Pass, lines["clock"].Outcome);
        Assert.Equal(DoctorOutcome.Pass, lines["backups"].Outcome);
        Assert.Contains("of documents", lines["backups"].Finding);
    }

    [Fact]
    public async Task A_user_with_readWrite_alone_is_told_what_each_feature_lacks()
    {
        var database = mongo.NewDatabase();
        var name = database.DatabaseNamespace.DatabaseName;
        Assert.SkipWhen(!mongo.RolesEnforced, "The MongoDB of this run has no access control: no user's privileges can be limited.");
        var admin = mongo.AsAdmin(database);
        await admin.RunCommandAsync<BsonDocument>(new BsonDocument
        {
            { "createUser", "doctor_rw" }, { "pwd", "doctor-rw-password" }, { "roles", new BsonArray { new BsonDocument { { "role", "readWrite" }, { "db", name } } } },
        }, cancellationToken: Token);
        var asUser = new MongoUrlBuilder(mongo.AdminConnectionString) { Username = "doctor_rw", Password = "doctor-rw-password", AuthenticationSource = name }.ToString();

        DoctorReport report;
        try
        {
            report = await ExamineAsync(asUser, name);
        }
        finally
        {
            // dropDatabase leaves a database's users behind.
            await admin.RunCommandAsync<BsonDocument>(new BsonDocument("dropUser", "doctor_rw"), cancellationToken: Token);
        }

        var lines = report.Lines.ToDictionary(l => l.Id);
        Assert.Equal(DoctorOutcome.Fail, lines["privileges.migrate"].Outcome);
        Assert.Equal($"doctor_rw@{name} lacks collMod on database {name}", lines["privileges.migrate"].Finding);
        Assert.Equal(DoctorOutcome.Fail, lines["privileges.verify"].Outcome);
        Assert.Equal(DoctorOutcome.Warn, lines["privileges.restore"].Outcome);
        // readWrite has no getParameter on the cluster: the FCV cannot be read, and the line says how to see it.
        Assert.Contains("featureCompatibilityVersion unknown", lines["server"].Finding);
        Assert.Equal(DoctorOutcome.Pass, lines["backups"].Outcome);
    }
}
