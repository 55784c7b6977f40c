using System.Text;
using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Tests.Unit.Audit;

public sealed class AuditCsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain text", "plain text")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line one\nline two", "\"line one\nline two\"")]
    [InlineData("carriage\r\nreturn", "\"carriage\r\nreturn\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("a=b", "a=b")]
    public void Cells_are_quoted_when_needed_and_formulas_are_neutralised(string? value, string expected) =>
        Assert.Equal(expected, AuditCsv.Cell(value));

    [Fact]
    public async Task The_export_has_a_header_and_one_line_per_entry_with_every_field()
    {
        var entry = AuditEntry.Next(null, new AuditRecord("alice", "Admin", AuditActions.UserChanged, null, null, "role, \"Admin\""), AuditTestData.Start);
        var writer = new StringWriter();

        await AuditCsv.WriteAsync(new[] { entry }.ToAsyncEnumerable(), writer, TestContext.Current.CancellationToken);

        Assert.Equal(
            "sequence,time,user,role,action,target,runId,details,previousHash,hash\r\n" +
            $"1,2026-11-24T08:00:00.000Z,alice,Admin,user-changed,,,\"role, \"\"Admin\"\"\",{AuditHash.Genesis},{entry.Hash}\r\n",
            writer.ToString());
    }

    [Fact]
    public async Task A_large_export_is_written_entry_by_entry()
    {
        var writer = new StringWriter(new StringBuilder());

        await AuditCsv.WriteAsync(AuditTestData.Chain(5_000).ToAsyncEnumerable(), writer, TestContext.Current.CancellationToken);

        Assert.Equal(5_001, writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
