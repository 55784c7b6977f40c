using BotCore.MigrationPortal.Engine.History;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class MigrationStatusTests
{
    private const string Up = "up";
    private const string Down = "down";

    private static MigrationState[] States(TargetHistory history) => MigrationStatus.For(Registry, history).Select(s => s.State).ToArray();

    private static MigrationStatus StatusOf(string version, TargetHistory history) =>
        MigrationStatus.For(Registry, history).Single(s => s.Migration.Version == V(version));

    [Fact]
    public void On_an_empty_target_every_migration_is_pending()
    {
        var statuses = MigrationStatus.For(Registry, TargetHistory.Empty);

        Assert.Equal(Versions, statuses.Select(s => s.Migration.Version.ToString()));
        Assert.All(statuses, s =>
        {
            Assert.Equal(MigrationState.Pending, s.State);
            Assert.Equal("pending", s.Explanation);
        });
    }

    [Fact]
    public void Migrations_up_to_the_applied_version_with_their_changelog_are_applied()
    {
        var history = History("1.1.0", Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.Applied));

        Assert.Equal([MigrationState.Applied, MigrationState.Applied, MigrationState.Pending, MigrationState.Pending], States(history));
        var applied = StatusOf("1.1.0", history);
        Assert.Same(history.Changelog[1], applied.AppliedEntry);
        Assert.Contains("by dba@test", applied.Explanation);
    }

    [Fact]
    public void Migrations_applied_before_the_changelog_existed_are_applied_without_an_entry()
    {
        var history = History("1.2.0");

        Assert.Equal([MigrationState.Applied, MigrationState.Applied, MigrationState.Applied, MigrationState.Pending], States(history));
        var legacy = StatusOf("1.0.0", history);
        Assert.Null(legacy.AppliedEntry);
        Assert.Contains("before the portal kept a changelog", legacy.Explanation);
    }

    [Fact]
    public void A_migration_above_the_applied_version_whose_last_attempt_failed_is_failed()
    {
        var history = History("1.0.0", Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.Failed, error: "index build failed"));

        var failed = StatusOf("1.1.0", history);

        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("index build failed", failed.Explanation);
        Assert.Equal(MigrationState.Pending, StatusOf("1.2.0", history).State);
    }

    [Fact]
    public void A_migration_that_failed_and_then_applied_is_applied()
    {
        var history = History("1.1.0",
            Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.Failed), Entry("1.1.0", Up, ChangelogEntry.Applied));

        Assert.Equal(MigrationState.Applied, StatusOf("1.1.0", history).State);
    }

    [Fact]
    public void A_migration_above_the_applied_version_that_was_rolled_back_is_pending()
    {
        var history = History("1.0.0", Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.RolledBack));

        Assert.Equal(MigrationState.Pending, StatusOf("1.1.0", history).State);
    }

    [Fact]
    public void A_migration_applied_from_another_source_is_modified()
    {
        var other = new string('b', 64);
        var history = History("1.1.0", Entry("1.0.0", Up, ChangelogEntry.Applied, checksum: other), Entry("1.1.0", Up, ChangelogEntry.Applied));

        var modified = StatusOf("1.0.0", history);

        Assert.Equal([MigrationState.Modified, MigrationState.Applied, MigrationState.Pending, MigrationState.Pending], States(history));
        Assert.Equal(other, modified.AppliedEntry!.Checksum);
        Assert.Contains("bbbbbbbbbbbb", modified.Explanation);
        Assert.Contains(MigrationAt("1.0.0").ShortChecksum, modified.Explanation);
    }

    [Fact]
    public void A_modified_migration_that_was_undone_and_applied_again_from_this_source_is_applied()
    {
        var history = History("1.0.0",
            Entry("1.0.0", Up, ChangelogEntry.Applied, checksum: new string('b', 64)),
            Entry("1.0.0", Down, ChangelogEntry.Applied, checksum: new string('b', 64)),
            Entry("1.0.0", Up, ChangelogEntry.Applied));

        Assert.Equal(MigrationState.Applied, StatusOf("1.0.0", history).State);
    }

    [Theory]
    [InlineData(Down, ChangelogEntry.Applied)]
    [InlineData(Up, ChangelogEntry.RolledBack)]
    public void A_migration_below_the_applied_version_whose_last_entry_took_it_out_is_a_gap(string direction, string status)
    {
        var history = History("1.2.0",
            Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.Applied), Entry("1.2.0", Up, ChangelogEntry.Applied),
            Entry("1.1.0", direction, status));

        Assert.Equal([MigrationState.Applied, MigrationState.Gap, MigrationState.Applied, MigrationState.Pending], States(history));
        Assert.Contains($"taken out ({status}", StatusOf("1.1.0", history).Explanation);
    }

    [Fact]
    public void A_down_that_was_rolled_back_leaves_the_migration_applied()
    {
        var history = History("1.1.0",
            Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Up, ChangelogEntry.Applied), Entry("1.1.0", Down, ChangelogEntry.RolledBack));

        var status = StatusOf("1.1.0", history);

        Assert.Equal(MigrationState.Applied, status.State);
        Assert.Same(history.Changelog[2], status.AppliedEntry);
        Assert.Same(history.Changelog[2], status.LastEntry);
    }

    [Fact]
    public void Entries_of_other_versions_do_not_change_a_migrations_state()
    {
        var history = History("1.0.0", Entry("1.0.0", Up, ChangelogEntry.Applied), Entry("1.3.0", Up, ChangelogEntry.Failed));

        Assert.Equal([MigrationState.Applied, MigrationState.Pending, MigrationState.Pending, MigrationState.Failed], States(history));
        Assert.Null(StatusOf("1.1.0", history).LastEntry);
    }

    [Theory]
    [InlineData("up", "applied", true, false)]
    [InlineData("up", "rolled_back", false, true)]
    [InlineData("up", "failed", false, false)]
    [InlineData("down", "applied", false, true)]
    [InlineData("down", "rolled_back", true, false)]
    [InlineData("down", "failed", false, false)]
    public void A_changelog_entry_says_whether_it_left_the_migration_applied_or_undone(string direction, string status, bool leftApplied, bool leftUndone)
    {
        var entry = Entry("1.0.0", direction, status);

        Assert.Equal(leftApplied, entry.LeftApplied);
        Assert.Equal(leftUndone, entry.LeftUndone);
    }
}
