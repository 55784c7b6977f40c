using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Security.Tokens;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Security;

/// <summary>The rules of personal API tokens, and the one run rule a token meets: it never approves.</summary>
public sealed class ApiTokenRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    private static readonly MigrationRun Waiting = new()
    {
        Id = "run-1", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Zero, To = SchemaVersion.Parse("1.0.0"), Checksums = [],
        RequestedBy = "olga", State = RunState.AwaitingApproval, Checklist = ChecklistTemplate.NewChecklist(RunKind.Migration),
    };

    private static ApiToken Token(Role role = Role.Operator, DateTime? expires = null, DateTime? revoked = null) => new()
    {
        Id = "abc", Owner = "alice", Name = "ci", Role = role, Hash = "h", CreatedAt = Now.AddDays(-1), ExpiresAt = expires ?? Now.AddDays(1),
        RevokedAt = revoked, RevokedBy = revoked is null ? null : "alice",
    };

    [Fact]
    public void An_Approver_may_approve_in_the_browser_but_never_through_a_token_whatever_its_role()
    {
        Actor alice = TestPeople.Alice;
        var throughToken = alice with { Token = "ci" };

        Assert.True(RunRules.Check(RunAction.Approve, Waiting, alice).Allowed);
        foreach (var action in new[] { RunAction.Approve, RunAction.ApproveAndRun })
        {
            Assert.Equal("alice may not approve run run-1 with the API token 'ci': approval stays a person's act, on the run's page in the portal (four eyes).",
                RunRules.Check(action, Waiting, throughToken).Refusal);
        }
        Assert.DoesNotContain(RunAction.Approve, RunRules.Allowed(Waiting, throughToken));
        Assert.Contains(RunAction.Cancel, RunRules.Allowed(Waiting, throughToken));
    }

    [Fact]
    public void A_token_has_at_most_its_creators_role_and_is_made_in_the_browser()
    {
        Actor olga = TestPeople.Olga;

        Assert.True(ApiTokenRules.CheckCreate(olga, Role.Operator).Allowed);
        Assert.True(ApiTokenRules.CheckCreate(olga, Role.Viewer).Allowed);
        Assert.Equal("olga (Operator) may not create a token with the Approver role: a token's role is at most its creator's.",
            ApiTokenRules.CheckCreate(olga, Role.Approver).Refusal);
        Assert.StartsWith("A token cannot create tokens", ApiTokenRules.CheckCreate(olga with { Token = "ci" }, Role.Viewer).Refusal);
    }

    [Fact]
    public void A_token_acts_with_the_lower_of_its_role_and_its_owners_role_now()
    {
        var owner = TestPeople.Alice.User;

        Assert.Equal(Role.Operator, ApiTokenRules.EffectiveRole(Token(Role.Operator), owner));
        Assert.Equal(Role.Viewer, ApiTokenRules.EffectiveRole(Token(Role.Approver), owner with { Role = Role.Viewer }));
    }

    [Fact]
    public void A_revoked_or_expired_token_or_one_whose_owner_is_gone_or_disabled_may_not_act()
    {
        var owner = TestPeople.Alice.User;

        Assert.Null(ApiTokenRules.Problem(Token(), owner, Now));
        Assert.StartsWith("Token 'ci' was revoked by alice", ApiTokenRules.Problem(Token(revoked: Now.AddHours(-1)), owner, Now));
        Assert.StartsWith("Token 'ci' expired at", ApiTokenRules.Problem(Token(expires: Now), owner, Now));
        Assert.Contains("no longer exists", ApiTokenRules.Problem(Token(), null, Now));
        Assert.Contains("is disabled", ApiTokenRules.Problem(Token(), owner with { Disabled = true }, Now));
        Assert.Contains("not known", ApiTokenRules.Problem(null, null, Now));
    }

    [Fact]
    public void Names_and_lifetimes_outside_the_bounds_are_refused_with_a_sentence()
    {
        Assert.Equal("deploy", ApiTokenRules.Name("  deploy "));
        Assert.StartsWith("Name the token", Assert.Throws<BadInputException>(() => ApiTokenRules.Name(" ")).Message);
        Assert.Contains("at most 60 characters", Assert.Throws<BadInputException>(() => ApiTokenRules.Name(new string('x', 61))).Message);
        Assert.Equal(TimeSpan.FromDays(90), ApiTokenRules.Lifetime(90));
        Assert.Equal("A token holds between 1 and 90 days, not 91.", Assert.Throws<BadInputException>(() => ApiTokenRules.Lifetime(91)).Message);
    }

    [Fact]
    public void Secrets_have_256_random_bits_and_only_their_shape_is_accepted()
    {
        var secret = ApiTokenSecret.New();

        Assert.True(ApiTokenSecret.LooksLikeOne(secret));
        Assert.NotEqual(secret, ApiTokenSecret.New());
        Assert.False(ApiTokenSecret.LooksLikeOne(secret[..^1]));
        Assert.False(ApiTokenSecret.LooksLikeOne("bcp_" + new string('+', 43)));
        Assert.Equal(64, ApiTokenSecret.HashOf(secret).Length);
    }
}
