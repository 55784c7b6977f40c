using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// What a channel sends for an event, in each channel's format: the generic webhook's JSON, Slack's incoming-webhook message (text as
/// the notification's fallback, a mrkdwn section block), Teams' message with one Adaptive Card attachment (what Teams incoming webhooks and
/// Workflows accept), and an e-mail's subject and text.
/// </summary>
public sealed record NotificationMessage(PortalEvent Event, string DeliveryId, string? Link)
{
    public string Title => $"{Event.Kind.DisplayName()}: {Event.Target}" + (Event.RunId is { } run ? $", run {run}" : "");

    /// <summary>The message as plain text: the summary, the error of a failure, and the link (or the run's id without one).</summary>
    public string Text => string.Join("\n", new[]
    {
        Event.Summary,
        Event.Error is { } error ? $"Error: {error}" : null,
        Event.Contacts.Count > 0 ? $"Emergency contacts: {string.Join("; ", Event.Contacts)}" : null,
        Link is { } link ? $"Open the run: {link}" : null,
    }.Where(line => line is not null));

    public string WebhookJson() => new JsonObject
    {
        ["id"] = DeliveryId,
        ["event"] = Event.Kind.ToString(),
        ["title"] = Title,
        ["summary"] = Event.Summary,
        ["target"] = Event.Target,
        ["runId"] = Event.RunId,
        ["at"] = Event.At.ToString("O"),
        ["error"] = Event.Error,
        ["contacts"] = new JsonArray(Event.Contacts.Select(c => (JsonNode?)c).ToArray()),
        ["link"] = Link,
    }.ToJsonString(JsonOptions);

    public string SlackJson()
    {
        var text = $"*{Escape(Title)}*\n{Escape(Event.Summary)}" + (Event.Error is { } error ? $"\n```{Escape(error)}```" : "") +
            (Event.Contacts.Count > 0 ? $"\nEmergency contacts: {Escape(string.Join("; ", Event.Contacts))}" : "") +
            (Link is { } link ? $"\n<{link}|Open the run>" : "");
        return new JsonObject
        {
            ["text"] = $"{Title}: {Event.Summary}",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text },
            }),
        }.ToJsonString(JsonOptions);
    }

    public string TeamsJson()
    {
        var body = new JsonArray(
            new JsonObject { ["type"] = "TextBlock", ["text"] = Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true,
                ["color"] = Event.IsFailure ? "Attention" : "Default" },
            new JsonObject { ["type"] = "TextBlock", ["text"] = Event.Summary, ["wrap"] = true });
        if (Event.Error is { } error) body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"Error: {error}", ["wrap"] = true, ["color"] = "Attention" });
        if (Event.Contacts.Count > 0) body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"Emergency contacts: {string.Join("; ", Event.Contacts)}", ["wrap"] = true });
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (Link is { } link) card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the run", ["url"] = link });
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        }.ToJsonString(JsonOptions);
    }

    public string MailSubject => $"[BotCore migrations] {Title}";

    // Slack's mrkdwn treats these three as control characters in text.
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
