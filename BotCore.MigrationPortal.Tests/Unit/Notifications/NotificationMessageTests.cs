using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotCore.MigrationPortal.Notifications;

namespace BotCore.MigrationPortal.Tests.Unit.Notifications;

/// <summary>The shapes Slack and Teams incoming webhooks accept, the generic webhook's body and signature, and masked secrets.</summary>
public sealed class NotificationMessageTests
{
    private static readonly PortalEvent Failed = new(PortalEventKind.RunFailed, new DateTime(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc), "production", "run-7",
        "Migration run run-7 (up 1.2.0 → 1.3.0 on production, Production) failed.", "Index <idx_x> & co could not be built");

    private static readonly NotificationMessage Message = new(Failed, "ntf-1", "https://migrations.example.com/runs/run-7");

    [Fact]
    public void Slack_gets_a_fallback_text_and_one_mrkdwn_section_with_the_error_escaped_and_the_link()
    {
        var json = JsonDocument.Parse(Message.SlackJson()).RootElement;

        Assert.StartsWith("Run failed: production, run run-7: ", json.GetProperty("text").GetString(), StringComparison.Ordinal);
        var section = Assert.Single(json.GetProperty("blocks").EnumerateArray().ToList());
        Assert.Equal("section", section.GetProperty("type").GetString());
        Assert.Equal("mrkdwn", section.GetProperty("text").GetProperty("type").GetString());
        var text = section.GetProperty("text").GetProperty("text").GetString()!;
        Assert.Contains("```Index &lt;idx_x&gt; &amp; co could not be built```", text, StringComparison.Ordinal);
        Assert.EndsWith("<https://migrations.example.com/runs/run-7|Open the run>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Teams_gets_a_message_with_one_Adaptive_Card_attachment()
    {
        var json = JsonDocument.Parse(Message.TeamsJson()).RootElement;

        Assert.Equal("message", json.GetProperty("type").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4", "http://adaptivecards.io/schemas/adaptive-card.json"),
            (card.GetProperty("type").GetString(), card.GetProperty("version").GetString(), card.GetProperty("$schema").GetString()));
        var blocks = card.GetProperty("body").EnumerateArray().ToList();
        Assert.All(blocks, b => Assert.Equal("TextBlock", b.GetProperty("type").GetString()));
        Assert.Equal(["Run failed: production, run run-7", Failed.Summary, $"Error: {Failed.Error}"], blocks.Select(b => b.GetProperty("text").GetString()));
        Assert.Equal("Attention", blocks[0].GetProperty("color").GetString());
        var action = Assert.Single(card.GetProperty("actions").EnumerateArray().ToList());
        Assert.Equal(("Action.OpenUrl", "https://migrations.example.com/runs/run-7"), (action.GetProperty("type").GetString(), action.GetProperty("url").GetString()));
    }

    [Fact]
    public void The_generic_webhook_body_names_the_event_the_run_its_error_and_link()
    {
        var json = JsonDocument.Parse(Message.WebhookJson()).RootElement;

        Assert.Equal(("ntf-1", "RunFailed", "production", "run-7", Failed.Error, "https://migrations.example.com/runs/run-7"),
            (json.GetProperty("id").GetString(), json.GetProperty("event").GetString(), json.GetProperty("target").GetString(), json.GetProperty("runId").GetString(),
                json.GetProperty("error").GetString(), json.GetProperty("link").GetString()));
        Assert.Equal("2026-12-02T03:00:00.0000000Z", json.GetProperty("at").GetString());
    }

    [Fact]
    public void The_signature_is_the_hmac_of_timestamp_dot_body_and_a_receiver_refuses_a_changed_body_or_an_old_timestamp()
    {
        var body = Message.WebhookJson();
        var now = DateTimeOffset.UtcNow;
        var timestamp = WebhookSignature.Timestamp(now);

        var signature = WebhookSignature.Sign("key-1", timestamp, body);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("key-1"), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        Assert.Equal(expected, signature);
        Assert.True(WebhookSignature.IsValid("key-1", timestamp, signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.IsValid("key-2", timestamp, signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.IsValid("key-1", timestamp, signature, body + " ", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.IsValid("key-1", timestamp, signature, body, now.AddMinutes(6), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX1234", "https://hooks.slack.com/…1234")]
    [InlineData("whsec-0123456789abcdef", "••••cdef")]
    [InlineData("short", "••••")]
    [InlineData(null, "(none)")]
    public void A_secret_is_shown_masked(string? secret, string shown) => Assert.Equal(shown, SecretMask.Of(secret));

    [Fact]
    public void Without_a_public_address_a_message_names_the_run_but_links_nowhere()
    {
        var message = new NotificationMessage(Failed, "ntf-1", new NotificationOptions([], TimeSpan.FromSeconds(1), null).LinkTo(Failed));

        Assert.DoesNotContain("http", message.Text, StringComparison.Ordinal);
        Assert.Contains("run-7", message.Title, StringComparison.Ordinal);
    }
}
