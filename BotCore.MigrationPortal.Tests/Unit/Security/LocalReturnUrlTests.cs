using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/users", "/users")]
    [InlineData("/runs/42?tab=events", "/runs/42?tab=events")]
    [InlineData("runs/42", "/runs/42")]
    [InlineData("/", "/")]
    public void A_path_of_the_portal_is_kept(string returnUrl, string expected) =>
        Assert.Equal(expected, LocalReturnUrl.Resolve(returnUrl));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/users\r\nSet-Cookie: x=y")]
    public void Anything_that_could_leave_the_portal_goes_home(string? returnUrl) =>
        Assert.Equal("/", LocalReturnUrl.Resolve(returnUrl));

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public void An_absolute_address_becomes_a_harmless_path_of_the_portal(string returnUrl) =>
        Assert.Equal("/" + returnUrl, LocalReturnUrl.Resolve(returnUrl));

    [Theory]
    [InlineData("/runs/é", "/runs/%C3%A9")]
    [InlineData("runs/😀", "/runs/%F0%9F%98%80")]
    [InlineData("/runs/42?q=über%20alles", "/runs/42?q=%C3%BCber%20alles")]
    public void Other_than_ASCII_characters_are_percent_encoded_so_that_the_address_fits_a_Location_header(string returnUrl, string expected)
    {
        var resolved = LocalReturnUrl.Resolve(returnUrl);

        Assert.Equal(expected, resolved);
        Assert.All(resolved, c => Assert.InRange(c, '!', '~'));
    }
}
