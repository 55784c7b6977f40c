using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Tests.Unit.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>The audit log's date filter for any date a person can type, and the query string the export reads.</summary>
public sealed class AuditFilterDatesTests
{
    private static AuditEntry Entry(DateTime time) => AuditEntry.Next(null, AuditTestData.Record(0), time);

    [Fact]
    public void The_last_day_there_is_as_To_date_bounds_nothing_and_overflows_nothing()
    {
        var filter = new AuditFilter { From = DateOnly.MaxValue, To = DateOnly.MaxValue };

        Assert.Null(filter.Before);
        Assert.Equal(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc), filter.Since);
        Assert.True(filter.Matches(Entry(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc))));
        Assert.False(filter.Matches(Entry(new DateTime(9999, 12, 30, 23, 59, 59, DateTimeKind.Utc))));
    }

    [Fact]
    public void The_first_day_there_is_is_an_ordinary_bound()
    {
        var filter = new AuditFilter { From = DateOnly.MinValue, To = DateOnly.MinValue };

        Assert.Equal(DateTime.MinValue, filter.Since);
        Assert.Equal(new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Utc), filter.Before);
        Assert.Null(filter.Problem);
    }

    [Fact]
    public void A_From_date_after_the_To_date_is_a_problem_that_says_what_to_do()
    {
        var filter = new AuditFilter { From = new DateOnly(2026, 12, 1), To = new DateOnly(2026, 11, 30) };

        Assert.Equal("The From date (2026-12-01) is after the To date (2026-11-30), so no entry can match: change one of them.", filter.Problem);
        Assert.Null((filter with { To = new DateOnly(2026, 12, 1) }).Problem);
        Assert.Null((filter with { From = null }).Problem);
    }

    [Fact]
    public void The_query_string_of_a_filter_reads_back_as_the_same_filter()
    {
        var filter = new AuditFilter
        {
            User = "Anne Marie", Actions = [AuditActions.Approved, AuditActions.RunCreated], Target = "prod", RunId = "run-3", From = new DateOnly(2026, 1, 2),
            To = DateOnly.MaxValue,
        };
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(filter.ToQueryString());

        var (read, problem) = AuditFilter.FromQuery(query["user"], query["action"].OfType<string>().ToList(), query["target"], query["run"], query["from"], query["to"]);

        Assert.Null(problem);
        Assert.Equal(filter, read);
    }

    [Theory]
    [InlineData("yesterday", null, "'from' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData(null, "10000-01-01", "'to' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData(null, "2026-02-30", "'to' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData("24.11.2026", null, "'from' is not a date: write it as yyyy-MM-dd, e.g. 2026-11-24.")]
    [InlineData("2026-11-25", "2026-11-24", "The From date (2026-11-25) is after the To date (2026-11-24), so no entry can match: change one of them.")]
    public void Dates_it_cannot_use_are_refused_with_the_reason(string? from, string? to, string expected)
    {
        var (filter, problem) = AuditFilter.FromQuery(null, null, null, null, from, to);

        Assert.Null(filter);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Blank_dates_mean_unbounded() =>
        Assert.Equal((AuditFilter.None, (string?)null), AuditFilter.FromQuery(" ", [""], null, " ", "", "  "));
}
