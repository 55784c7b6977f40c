using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>The portal's documents survive a trip through BSON exactly, in the shape the stores query.</summary>
public sealed class PortalBsonTests
{
    public PortalBsonTests() => PortalBson.Register();

    private static readonly DateTime At = new(2026, 11, 24, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void A_run_with_every_field_set_comes_back_equal_with_camel_case_names_and_enum_names()
    {
        var run = new MigrationRun
        {
            Id = "run-1", Target = "production", Tier = TargetTier.Production, From = SchemaVersion.Parse("1.2.0"), To = SchemaVersion.Parse("1.3.0"),
            Kind = RunKind.EmergencyRollback, RollbackOf = "run-0",
            Checksums = [new VersionChecksum(SchemaVersion.Parse("1.3.0"), new string('a', 64))],
            RequestedBy = "olga", CreatedAt = At, State = RunState.AwaitingApproval, UpdatedAt = At, Revision = 7,
            Checklist = [new ChecklistItemState { ItemId = ChecklistTemplate.NoDrift, Status = ItemStatus.Passed, Evidence = "matches", By = "portal", At = At, Comment = "c" }],
            Approval = new Approval("bob", At, ["target = production"]),
            ApprovalVoided = "why", StagingOverride = new StagingOverride("ada", At, "because of reasons"),
            SentBack = new SentBack("bob", At, "the backup is a week old", "olga"), Comments = [new RunComment("alice", At, "after the close, please")],
            Schedule = new RunSchedule(At.AddHours(2), "olga", At, "17"),
            AttachedBackup = new AttachedBackup("20261124-083000-production-ab12", "olga", At),
            Restore = new RunRestore("20261124-083000-production-ab12", "restore-20261124-083000-production-ab12-1", "alice", At),
            JobId = "42", StartedAt = At, RollBackOnFailedValidation = false, FinishedAt = At, Error = "boom", CancelRequestedBy = "olga",
            Transitions = [new StateTransition(RunState.Draft, RunState.PreChecks, At, "olga", "pre-checks run")],
            Validation = [new CollectionCheck("users", true, "matches")],
            LeftAt = SchemaVersion.Parse("1.2.0"),
            Pause = new DataStepPause("olga", At, new PausePoint("1.1.0/up/7", 120, 120_000, 250_000, true, At)),
            Pauses = [new PauseRecord(PauseRecord.Asked, "olga", At, "the running data step stops at its next batch boundary")],
            PreMigrationChecks = [new RecordedCheck("pre.duplicates", "No duplicate emails", "BLOCKING", true, false, "2 duplicates", ["a@x.io ×2"], 12.5, At)],
        };

        var document = run.ToBsonDocument();
        var back = BsonSerializer.Deserialize<MigrationRun>(document);

        Assert.Equal("run-1", document["_id"].AsString);
        Assert.Equal("1.2.0", document["from"].AsString);
        Assert.Equal("Production", document["tier"].AsString);
        Assert.Equal("AwaitingApproval", document["state"].AsString);
        Assert.Equal(7, document["revision"].ToInt64());
        Assert.False(document.Contains("direction"));
        Assert.Equal(run with { Checksums = [], Checklist = [], Approval = null, Transitions = [], Validation = [], Comments = [], PreMigrationChecks = [], Pauses = [] },
            back with { Checksums = [], Checklist = [], Approval = null, Transitions = [], Validation = [], Comments = [], PreMigrationChecks = [], Pauses = [] });
        Assert.Equal(run.Pauses, back.Pauses);
        Assert.Equal(120_000, document["pause"]["reached"]["processed"].ToInt64());
        Assert.Equal(run.Checksums, back.Checksums);
        Assert.Equal(run.Checklist, back.Checklist);
        Assert.Equal(run.Approval.BoundFacts, back.Approval!.BoundFacts);
        Assert.Equal(run.Transitions, back.Transitions);
        Assert.Equal(run.Validation, back.Validation);
        Assert.Equal(run.Comments, back.Comments);
        Assert.Equal(run.PreMigrationChecks[0] with { Evidence = [] }, back.PreMigrationChecks[0] with { Evidence = [] });
        Assert.Equal(run.PreMigrationChecks[0].Evidence, back.PreMigrationChecks[0].Evidence);
        Assert.Equal("1.2.0", document["leftAt"].AsString);
        Assert.Equal("olga", document["sentBack"]["to"].AsString);
        Assert.Equal("alice", document["restore"]["by"].AsString);
    }

    [Fact]
    public void A_run_stored_before_its_newer_fields_existed_reads_with_them_empty()
    {
        var run = new MigrationRun
        {
            Id = "run-old", Target = "dev", Tier = TargetTier.Development, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"), Checksums = [],
            RequestedBy = "olga", State = RunState.Succeeded,
        };
        var document = run.ToBsonDocument();
        foreach (var newer in new[] { "leftAt", "preMigrationChecks", "attachedBackup", "restore", "pause", "pauses" }) document.Remove(newer);

        var back = BsonSerializer.Deserialize<MigrationRun>(document);

        Assert.Equal((null, null, null), (back.LeftAt, back.AttachedBackup, back.Restore));
        Assert.Empty(back.PreMigrationChecks);
        Assert.Null(back.Pause);
        Assert.Empty(back.Pauses);
    }

    [Fact]
    public void A_stored_run_event_with_batch_progress_comes_back_equal()
    {
        var stored = new StoredRunEvent
        {
            RunId = "run-1", Sequence = 3,
            Event = new RunEvent(new DateTimeOffset(At), RunEventKind.BatchProgress, "300/1,000")
            {
                Level = RunEventLevel.Warning, Version = "1.1.0", Direction = "up", StepIndex = 7, StepCount = 7, DurationMs = 12.5,
                Batch = new BatchProgress(300, 1000, 250.5, TimeSpan.FromSeconds(2.8)) { Simulated = true }, Passed = true,
            },
        };

        var back = BsonSerializer.Deserialize<StoredRunEvent>(stored.ToBsonDocument());

        Assert.Equal(stored, back);
        Assert.Equal("run-1", stored.ToBsonDocument()["runId"].AsString);
    }
}
