using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class SchemaVersionTests
{
    [Theory]
    [InlineData("1.2.0", 1, 2, 0)]
    [InlineData("0.0.0", 0, 0, 0)]
    [InlineData("10.20.30", 10, 20, 30)]
    [InlineData("999999999.0.1", 999999999, 0, 1)]
    [InlineData(" 1.2.0", 1, 2, 0)]
    [InlineData("1.2.0 \n", 1, 2, 0)]
    public void Parse_and_TryParse_read_major_minor_patch(string text, int major, int minor, int patch)
    {
        var expected = new SchemaVersion(major, minor, patch);

        Assert.True(SchemaVersion.TryParse(text, out var parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(expected, SchemaVersion.Parse(text));
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.2.0.0")]
    [InlineData("a.b.c")]
    [InlineData("01.2.0")]
    [InlineData("1.02.0")]
    [InlineData("1.2.00")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("1..0")]
    [InlineData(".1.2")]
    [InlineData("-1.2.0")]
    [InlineData("+1.2.0")]
    [InlineData("1.2.0-beta")]
    [InlineData("1 .2.0")]
    [InlineData("v1.2.0")]
    [InlineData("1000000000.0.0")]
    [InlineData("\uFF11.2.0")]
    public void TryParse_refuses_text_that_is_not_major_minor_patch(string? text)
    {
        Assert.False(SchemaVersion.TryParse(text, out var parsed));
        Assert.Equal(SchemaVersion.Zero, parsed);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("a.b.c")]
    [InlineData("01.2.0")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_throws_BadInputException_naming_the_text(string? text)
    {
        var error = Assert.Throws<BadInputException>(() => SchemaVersion.Parse(text));

        Assert.Contains($"'{text}' is not a schema version", error.Message);
        Assert.Contains("MAJOR.MINOR.PATCH", error.Message);
    }

    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.2.0")]
    [InlineData("10.20.30")]
    public void ToString_gives_back_the_text_it_was_parsed_from(string text) =>
        Assert.Equal(text, SchemaVersion.Parse(text).ToString());

    [Fact]
    public void Zero_is_0_0_0() => Assert.Equal(new SchemaVersion(0, 0, 0), SchemaVersion.Zero);

    [Theory]
    [InlineData("0.0.0", "0.0.1")]
    [InlineData("0.0.9", "0.1.0")]
    [InlineData("1.2.3", "1.3.0")]
    [InlineData("1.9.9", "2.0.0")]
    [InlineData("1.2.0", "1.10.0")]
    [InlineData("9.0.0", "10.0.0")]
    [InlineData("1.2.9", "1.2.10")]
    public void Versions_order_numerically_by_major_then_minor_then_patch(string lowerText, string higherText)
    {
        var lower = SchemaVersion.Parse(lowerText);
        var higher = SchemaVersion.Parse(higherText);

        Assert.True(lower < higher);
        Assert.True(lower <= higher);
        Assert.False(lower > higher);
        Assert.False(lower >= higher);
        Assert.True(higher > lower);
        Assert.True(higher >= lower);
        Assert.False(higher < lower);
        Assert.False(higher <= lower);
        Assert.True(lower.CompareTo(higher) < 0);
        Assert.True(higher.CompareTo(lower) > 0);
        Assert.NotEqual(lower, higher);
        Assert.True(lower != higher);
    }

    [Fact]
    public void Equal_versions_compare_equal()
    {
        var a = SchemaVersion.Parse("1.2.0");
        var b = SchemaVersion.Parse(" 1.2.0 ");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.True(a <= b);
        Assert.True(a >= b);
        Assert.False(a < b);
        Assert.False(a > b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Sorting_puts_versions_in_numeric_order()
    {
        var sorted = new[] { "1.10.0", "1.2.0", "0.0.0", "10.0.0", "1.2.10", "1.2.9", "2.0.0" }
            .Select(SchemaVersion.Parse).Order().Select(v => v.ToString());

        Assert.Equal(["0.0.0", "1.2.0", "1.2.9", "1.2.10", "1.10.0", "2.0.0", "10.0.0"], sorted);
    }
}
