using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Hosting;

/// <summary>Sign-in names stay plain: they go into the audit log, the logs and URLs.</summary>
public sealed class UserNamePolicyTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("a")]
    [InlineData("Ada.Lovelace_2-b")]
    [InlineData("0perator")]
    public void A_plain_name_is_accepted(string name) => Assert.Null(UserNamePolicy.Problem(name));

    [Fact]
    public void Sixty_four_characters_are_the_most()
    {
        Assert.Null(UserNamePolicy.Problem(new string('a', 64)));
        Assert.NotNull(UserNamePolicy.Problem(new string('a', 65)));
    }

    [Theory]
    [InlineData("alice\n")]
    [InlineData("alice\r")]
    [InlineData("alice\r\n")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("\nalice")]
    [InlineData("ali ce")]
    [InlineData(".alice")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_with_a_line_break_a_space_or_a_leading_symbol_is_refused(string? name) =>
        Assert.Equal("A name has 1 to 64 letters, digits, '.', '-' or '_', and starts with a letter or a digit.", UserNamePolicy.Problem(name));
}
