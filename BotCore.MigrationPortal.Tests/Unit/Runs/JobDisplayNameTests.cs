using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using System.Reflection;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

/// <summary>On the Hangfire dashboard a job is named by what it does, with its run and target, not by its method.</summary>
public sealed class JobDisplayNameTests
{
    private readonly CapturingJobClient client = new();

    [Theory]
    [InlineData(RunKind.Migration, "Run run-7 on staging")]
    [InlineData(RunKind.Rollback, "Run run-7 on staging")]
    [InlineData(RunKind.EmergencyRollback, "Run run-7 on staging")]
    [InlineData(RunKind.Baseline, "Adoption run run-7 on staging")]
    public void A_run_job_is_named_with_its_run_and_target(RunKind kind, string expected)
    {
        new HangfireRunJobQueue(client).Enqueue(Run(kind));

        Assert.Equal(expected, client.DisplayNameOfLast());
    }

    [Fact]
    public void A_run_backup_job_is_named_with_its_target_run_and_requester()
    {
        new HangfireRunJobQueue(client).EnqueueBackup(Run(RunKind.Migration), TestPeople.Olga, BackupScope.WholeDatabase);

        Assert.Equal("Backup of staging for run run-7, by olga", client.DisplayNameOfLast());
    }

    [Fact]
    public void The_backups_pages_jobs_are_named_with_the_target_or_backup_and_requester()
    {
        var queue = new HangfireBackupJobQueue(client);

        queue.EnqueueBackup("backup-op", "staging", TestPeople.Ada);
        Assert.Equal("Backup of staging (whole database), by ada", client.DisplayNameOfLast());
        queue.EnqueueVerify("verify-op", "20261124-100000-staging-ab12", TestPeople.Ada);
        Assert.Equal("Verify backup 20261124-100000-staging-ab12, by ada", client.DisplayNameOfLast());
        queue.EnqueueRestore("restore-op", "20261124-100000-staging-ab12", "staging", TestPeople.Ada);
        Assert.Equal("Restore backup 20261124-100000-staging-ab12, by ada", client.DisplayNameOfLast());
    }

    private static MigrationRun Run(RunKind kind) => new()
    {
        Id = "run-7", Kind = kind, Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"),
        Checksums = [], RequestedBy = "olga",
    };

    /// <summary>Keeps the jobs given to Hangfire, as its storage would.</summary>
    private sealed class CapturingJobClient : IBackgroundJobClient
    {
        private readonly List<Job> jobs = [];

        public string Create(Job job, IState state)
        {
            jobs.Add(job);
            return $"job-{jobs.Count}";
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;

        /// <summary>The name the dashboard shows: the method's JobDisplayName formatted with the job's arguments.</summary>
        public string DisplayNameOfLast()
        {
            var job = jobs[^1];
            var attribute = job.Method.GetCustomAttribute<JobDisplayNameAttribute>() ?? throw new InvalidOperationException($"{job.Method.Name} has no display name");
            return attribute.Format(null!, job);
        }
    }
}
