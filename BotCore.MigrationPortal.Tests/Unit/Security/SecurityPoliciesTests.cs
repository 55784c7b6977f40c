using System.Security.Claims;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>The authorization policies as the portal registers them.</summary>
public sealed class SecurityPoliciesTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddLogging()
        .AddPortalSecurity(Support.TestPortal.Configuration(), Support.TestPortal.Environment, new PortalMode(IsSandbox: true)).BuildServiceProvider();

    private IAuthorizationService Authorization => services.GetRequiredService<IAuthorizationService>();

    private static ClaimsPrincipal SignedIn(string role) =>
        PortalPrincipal.For(new PortalUser { Name = "someone", Role = Enum.Parse<Role>(role), PasswordHash = "-", CreatedBy = "test" },
            new SessionClaims("someone", "session", "stamp", DateTime.UtcNow));

    [Theory]
    [InlineData("Viewer", "Viewer", true)]
    [InlineData("Viewer", "Operator", false)]
    [InlineData("Operator", "Operator", true)]
    [InlineData("Operator", "Approver", false)]
    [InlineData("Approver", "Viewer", true)]
    [InlineData("Approver", "Operator", true)]
    [InlineData("Approver", "Approver", true)]
    [InlineData("Approver", "Admin", false)]
    [InlineData("Admin", "Viewer", true)]
    [InlineData("Admin", "Admin", true)]
    public async Task A_policy_named_after_a_role_lets_in_that_role_and_every_higher_one(string role, string policy, bool allowed)
    {
        var result = await Authorization.AuthorizeAsync(SignedIn(role), policy);

        Assert.Equal(allowed, result.Succeeded);
    }

    [Theory]
    [InlineData("Viewer")]
    [InlineData("Admin")]
    public async Task No_role_policy_lets_in_someone_who_is_not_signed_in(string policy)
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "Admin")]));

        Assert.False((await Authorization.AuthorizeAsync(anonymous, policy)).Succeeded);
    }

    [Fact]
    public async Task A_role_claim_that_is_no_role_is_refused()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "x"), new Claim(ClaimTypes.Role, "3")], "Cookies"));

        Assert.False((await Authorization.AuthorizeAsync(principal, "Viewer")).Succeeded);
    }

    [Fact]
    public async Task Everything_without_its_own_policy_needs_a_signed_in_user()
    {
        var fallback = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();

        Assert.NotNull(fallback);
        Assert.False((await Authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), fallback)).Succeeded);
        Assert.True((await Authorization.AuthorizeAsync(SignedIn("Viewer"), fallback)).Succeeded);
    }

    [Fact]
    public void The_principal_carries_the_name_and_the_role_name()
    {
        var principal = SignedIn("Approver");

        Assert.Equal("someone", principal.Identity!.Name);
        Assert.Equal("Approver", principal.FindFirstValue(ClaimTypes.Role));
        Assert.True(principal.IsInRole("Approver"));
        Assert.True(principal.Identity.IsAuthenticated);
    }

    public void Dispose() => services.Dispose();
}
