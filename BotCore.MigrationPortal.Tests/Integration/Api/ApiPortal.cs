using System.Net.Http.Headers;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;
using BotCore.MigrationPortal.Tests.Integration.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Integration.Api;

/// <summary>
/// The sandbox portal in process (its Hangfire server runs the jobs), for the REST API: tokens are made through the portal's own
/// <see cref="ApiTokens"/> as the My tokens page makes them. Every client shares one address, so the token failure limit is raised
/// here; <see cref="TokenLimitedApiPortal"/> sets a small one.
/// </summary>
public class ApiPortal : InProcessPortal
{
    protected virtual int TokenFailuresPerMinute => 1000;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [ApiTokenFailureLimiter.Setting] = TokenFailuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sandbox:StepDelayMilliseconds"] = "0",
        // The class's tests queue backups and runs one after another; two workers left a backup waiting behind them under a full suite's load.
        ["Portal:Hangfire:WorkerCount"] = "6",
    };

    public IUserStore Users => Services.GetRequiredService<IUserStore>();

    public IApiTokenStore TokenStore => Services.GetRequiredService<IApiTokenStore>();

    /// <summary>Creates a token as <paramref name="owner"/> (signed in as the demo user of that name).</summary>
    public Task<NewApiToken> TokenAsync(string owner, Role role, string name = "pipeline") =>
        Services.GetRequiredService<ApiTokens>().CreateAsync(new UserCaller(owner), name, role, 30, TestContext.Current.CancellationToken);

    /// <summary>A client that sends <paramref name="secret"/> as its bearer token, and no cookie.</summary>
    public HttpClient WithToken(string secret, string? peer = null)
    {
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        if (peer is not null) client.DefaultRequestHeaders.Add(PeerHeader, peer);
        return client;
    }

    /// <summary>Sets the demo user's role or disables them, as an Admin would on the Users page.</summary>
    public async Task ChangeUserAsync(string name, Func<PortalUser, PortalUser> change)
    {
        var user = await Users.FindAsync(name, TestContext.Current.CancellationToken);
        await Users.ReplaceAsync(change(user!), TestContext.Current.CancellationToken);
    }
}

/// <summary>The API portal with a token failure limit of 3 a minute per address.</summary>
public sealed class TokenLimitedApiPortal : ApiPortal
{
    public const int Limit = 3;

    protected override int TokenFailuresPerMinute => Limit;
}
