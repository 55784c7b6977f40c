using System.Net;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;

namespace BotCore.MigrationPortal.Tests.Integration.Api;

/// <summary>Refused tokens are limited per client address with the framework's rate limiter; good tokens are not counted.</summary>
[Collection(Hosting.InProcessPortals.Name)]
public sealed class ApiTokenRateLimitTests(TokenLimitedApiPortal portal) : IClassFixture<TokenLimitedApiPortal>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_limit_of_bad_tokens_an_address_gets_429_with_Retry_After_even_with_a_good_token_and_others_do_not()
    {
        var good = await portal.TokenAsync("olga", Role.Operator);
        using var pipeline = portal.WithToken(good.Secret, peer: "203.0.113.7");
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await pipeline.GetAsync("/api/v1/targets", Token)).StatusCode);

        for (var i = 0; i < TokenLimitedApiPortal.Limit; i++)
        {
            using var guess = portal.WithToken(ApiTokenSecret.New(), peer: "198.51.100.9");
            Assert.Equal(HttpStatusCode.Unauthorized, (await guess.GetAsync("/api/v1/targets", Token)).StatusCode);
        }
        using var next = portal.WithToken(ApiTokenSecret.New(), peer: "198.51.100.9");
        var limited = await next.GetAsync("/api/v1/targets", Token);
        using var goodFromThere = portal.WithToken(good.Secret, peer: "198.51.100.9");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await goodFromThere.GetAsync("/api/v1/targets", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pipeline.GetAsync("/api/v1/targets", Token)).StatusCode);
    }
}
