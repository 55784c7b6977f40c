using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditFilterTests
{
    [Fact]
    public void Text_is_trimmed_and_blank_means_any()
    {
        var filter = new AuditFilter { User = "  alice ", Actions = [" ", ""], Target = "", RunId = " " };

        Assert.Equal("alice", filter.User);
        Assert.Empty(filter.Actions);
        Assert.Null(filter.Target);
        Assert.Null(filter.RunId);
        Assert.True(new AuditFilter { User = " ", Actions = [] }.IsEmpty);
    }

    [Fact]
    public void Control_characters_are_dropped_so_a_NUL_never_reaches_MongoDB_s_regex()
    {
        var filter = new AuditFilter { User = "ali\0ce", Actions = ["\0"], RunId = "run-1\r\n" };

        Assert.Equal("alice", filter.User);
        Assert.Empty(filter.Actions);
        Assert.Equal("run-1", filter.RunId);
    }

    [Theory]
    [InlineData("ali", true)]
    [InlineData("ALICE", true)]
    [InlineData("lic", true)]
    [InlineData("alicia", false)]
    [InlineData("bob", false)]
    public void The_user_matches_a_part_of_the_name_in_any_case(string user, bool matches) =>
        Assert.Equal(matches, new AuditFilter { User = user }.Matches(Entry(AuditTestData.Start)));

    [Fact]
    public void Actions_match_any_of_those_chosen_and_count_once_in_any_order()
    {
        var entry = Entry(AuditTestData.Start);

        Assert.True(new AuditFilter { Actions = [AuditActions.Approved, entry.Action] }.Matches(entry));
        Assert.False(new AuditFilter { Actions = [AuditActions.Approved, AuditActions.SignIn] }.Matches(entry));
        Assert.Equal(new AuditFilter { Actions = [AuditActions.SignIn, AuditActions.Approved, " "] }, new AuditFilter { Actions = [AuditActions.Approved, AuditActions.SignIn, AuditActions.SignIn] });
    }

    [Fact]
    public void The_run_matches_the_run_an_entry_concerns()
    {
        var entry = Entry(AuditTestData.Start);

        Assert.Equal("run-0", entry.RunId);
        Assert.True(new AuditFilter { RunId = "run-0" }.Matches(entry));
        Assert.False(new AuditFilter { RunId = "run-1" }.Matches(entry));
        Assert.False(new AuditFilter { RunId = "run-0" }.Matches(AuditEntry.Next(null, AuditTestData.Record(1), AuditTestData.Start)));
    }

    [Fact]
    public void The_to_date_includes_its_whole_day()
    {
        var filter = new AuditFilter { From = new DateOnly(2026, 11, 24), To = new DateOnly(2026, 11, 24) };

        Assert.Equal(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), filter.Since);
        Assert.Equal(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc), filter.Before);
        Assert.True(filter.Matches(Entry(new DateTime(2026, 11, 24, 23, 59, 59, 999, DateTimeKind.Utc))));
        Assert.False(filter.Matches(Entry(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc))));
        Assert.False(filter.Matches(Entry(new DateTime(2026, 11, 23, 23, 59, 59, 999, DateTimeKind.Utc))));
    }

    [Fact]
    public void The_export_query_string_carries_every_filter_escaped()
    {
        var filter = new AuditFilter
        {
            User = "Anne Marie", Actions = [AuditActions.SignIn, AuditActions.Approved], Target = "prod&eu", RunId = "run-1",
            From = new DateOnly(2026, 1, 2), To = new DateOnly(2026, 3, 4),
        };

        Assert.Equal("?user=Anne%20Marie&action=approved&action=sign-in&target=prod%26eu&run=run-1&from=2026-01-02&to=2026-03-04", filter.ToQueryString());
        Assert.Equal("", AuditFilter.None.ToQueryString());
    }

    [Fact]
    public void Every_audit_action_is_offered_once()
    {
        Assert.Contains(AuditActions.SignIn, AuditActions.All);
        Assert.Contains(AuditActions.AuditVerified, AuditActions.All);
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Distinct().Count());
        Assert.True(AuditActions.All.Count >= 18);
    }

    private static AuditEntry Entry(DateTime time) => AuditEntry.Next(null, AuditTestData.Record(0), time);
}
