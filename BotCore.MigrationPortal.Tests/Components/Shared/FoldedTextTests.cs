using BotCore.MigrationPortal.Components.Shared;
using Bunit;

namespace BotCore.MigrationPortal.Tests.Components.Shared;

public sealed class FoldedTextTests : BunitContext
{
    [Fact]
    public void A_short_value_is_shown_as_it_is()
    {
        var shown = Render<FoldedText>(p => p.Add(x => x.Text, "{\n  \"user_id\" : 1\n}"));

        Assert.Empty(shown.FindAll("details"));
        Assert.Equal("{\n  \"user_id\" : 1\n}", shown.Find("pre").TextContent);
    }

    [Fact]
    public void A_long_value_is_folded_to_its_start_on_one_line_with_its_length_and_keeps_its_whole_text()
    {
        var text = string.Join('\n', new[] { "{", "  \"type\" : \"collection\",", "  \"options\" : {", "    \"validator\" : {" }
            .Concat(Enumerable.Range(1, 20).Select(i => $"      \"field{i}\" : 1,")).Append("}"));

        var shown = Render<FoldedText>(p => p.Add(x => x.Text, text));

        Assert.Equal("{ \"type\" : \"collection\", \"options\" : { \"validato…(25 lines)", shown.Find("summary").TextContent.Replace("… (", "…("));
        Assert.Equal(text, shown.Find("details pre").TextContent);
    }
}
