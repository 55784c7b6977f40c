using System.Net;
using BotCore.MigrationPortal.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>One request the receiver got: the body, the headers the portal sets, and whether the signature held.</summary>
internal sealed record ReceivedHook(string Path, string Body, string? Event, string? Delivery, bool SignatureValid);

/// <summary>
/// A real webhook receiver on a free local port (Kestrel): it checks the portal's HMAC signature as a team's receiver would, records every
/// request, and answers 200, or 500 while <see cref="FailNext"/> says so.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<ReceivedHook> received = [];
    private readonly string key;

    private WebhookReceiver(WebApplication app, string key)
    {
        this.app = app;
        this.key = key;
    }

    /// <summary>How many of the next requests get a 500; int.MaxValue for a receiver that is down for good.</summary>
    public int FailNext { get; set; }

    public string Url(string path = "hook") => $"{app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()}/{path}";

    public IReadOnlyList<ReceivedHook> Received
    {
        get
        {
            lock (received) return received.ToList();
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string key, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, key);
        app.MapPost("/{**path}", (Delegate)receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers;
        var valid = WebhookSignature.IsValid(key, headers[WebhookSignature.TimestampHeader], headers[WebhookSignature.SignatureHeader], body, DateTimeOffset.UtcNow,
            TimeSpan.FromMinutes(5));
        lock (received)
        {
            received.Add(new ReceivedHook(context.Request.Path, body, headers[WebhookSignature.EventHeader], headers[WebhookSignature.DeliveryHeader], valid));
            if (FailNext > 0)
            {
                if (FailNext != int.MaxValue) FailNext--;
                return Results.StatusCode(500);
            }
        }
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
