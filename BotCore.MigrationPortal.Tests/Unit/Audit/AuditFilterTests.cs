using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditFilterTests
{
    [Fact]
    public void Text_is_trimmed_and_blank_means_any()
    {
        var filter = new AuditFilter { User = "  alice ", Action = " ", Target = "" };

        Assert.Equal("alice", filter.User);
        Assert.Null(filter.Action);
        Assert.Null(filter.Target);
        Assert.True(new AuditFilter { User = " " }.IsEmpty);
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
            User = "Anne Marie", Action = AuditActions.Approved, Target = "prod&eu", From = new DateOnly(2026, 1, 2), To = new DateOnly(2026, 3, 4),
        };

        Assert.Equal("?user=Anne%20Marie&action=approved&target=prod%26eu&from=2026-01-02&to=2026-03-04", filter.ToQueryString());
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
