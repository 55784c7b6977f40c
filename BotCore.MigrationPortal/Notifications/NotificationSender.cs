using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>What one attempt came to: what the receiver answered (an HTTP status, an SMTP reply) and, when it failed, why.</summary>
public sealed record SendOutcome(bool Succeeded, string? Response, string? Error);

/// <summary>
/// Sends one message over one channel: an HTTP POST of the channel's JSON (signed for the generic webhook) or an e-mail over SMTP. It never
/// throws for a receiver's failure, and no answer it returns contains the channel's secret (a URL that is the secret is masked).
/// </summary>
public sealed class NotificationSender(IHttpClientFactory http, NotificationOptions options, TimeProvider time)
{
    /// <summary>The named client: its request logging is removed, as Slack's and Teams' URLs are secrets.</summary>
    public const string HttpClientName = "notifications";

    public async Task<SendOutcome> SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return channel.Kind == ChannelKind.Email
                ? await MailAsync(channel, message, timeout.Token)
                : await PostAsync(channel, message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(false, null, $"No answer within {options.Timeout.TotalSeconds:N0} s.");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or SmtpCommandException or SmtpProtocolException
                                      or AuthenticationException or SslHandshakeException or InvalidOperationException or FormatException or ParseException)
        {
            return new SendOutcome(false, e is SmtpCommandException smtp ? $"SMTP {(int)smtp.StatusCode}" : null, Scrub(e.Message, channel.Secret));
        }
    }

    private async Task<SendOutcome> PostAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var (url, body) = channel.Kind switch
        {
            ChannelKind.Slack => (channel.Secret, message.SlackJson()),
            ChannelKind.Teams => (channel.Secret, message.TeamsJson()),
            _ => (channel.Url, message.WebhookJson()),
        };
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return new SendOutcome(false, null, "The channel has no valid URL: edit it on the Notifications page.");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (channel.Kind == ChannelKind.Webhook)
        {
            var timestamp = WebhookSignature.Timestamp(time.GetUtcNow());
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(channel.Secret ?? "", timestamp, body));
            request.Headers.Add(WebhookSignature.EventHeader, message.Event.Kind.ToString());
            request.Headers.Add(WebhookSignature.DeliveryHeader, message.DeliveryId);
        }
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var answer = $"HTTP {(int)response.StatusCode}";
        if (response.IsSuccessStatusCode) return new SendOutcome(true, answer, null);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new SendOutcome(false, answer, Scrub($"The receiver answered {answer} {response.ReasonPhrase}{(text.Length > 0 ? $": {Shorten(text)}" : "")}", channel.Secret));
    }

    private static async Task<SendOutcome> MailAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var mail = new MimeMessage { Subject = message.MailSubject, Body = new TextPart("plain") { Text = message.Text } };
        mail.From.Add(MailboxAddress.Parse(channel.MailFrom ?? ""));
        mail.To.AddRange(InternetAddressList.Parse(channel.MailTo ?? ""));
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(channel.SmtpHost ?? "", channel.SmtpPort, channel.SmtpTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None,
            cancellationToken);
        if (channel.SmtpUser is { Length: > 0 } user) await smtp.AuthenticateAsync(user, channel.Secret ?? "", cancellationToken);
        var reply = await smtp.SendAsync(mail, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        return new SendOutcome(true, $"SMTP 250 {Shorten(reply)}".TrimEnd(), null);
    }

    /// <summary>An error or answer as it may be stored and shown: the secret, should a library or a receiver echo it, is masked.</summary>
    public static string Scrub(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, SecretMask.Of(secret), StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
