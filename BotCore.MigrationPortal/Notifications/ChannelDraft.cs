namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// What an Admin typed for a channel, new or edited. <see cref="Secret"/> left empty on an edit keeps the saved one (the page never has
/// it to send back); <see cref="Id"/> and <see cref="Revision"/> name the channel and the version of it the page showed.
/// </summary>
public sealed record ChannelDraft
{
    public string? Id { get; init; }
    public long Revision { get; init; }
    public string? Name { get; init; }
    public ChannelKind Kind { get; init; }
    public string? Url { get; init; }
    public string? Secret { get; init; }
    public string? SmtpHost { get; init; }
    public int SmtpPort { get; init; } = 587;
    public string? SmtpUser { get; init; }
    public bool SmtpTls { get; init; } = true;
    public string? MailFrom { get; init; }
    public string? MailTo { get; init; }
    public IReadOnlyList<PortalEventKind> Events { get; init; } = [];
    public bool Enabled { get; init; } = true;

    /// <summary>A channel as the page edits it: everything but its secret.</summary>
    public static ChannelDraft Of(NotificationChannel channel) => new()
    {
        Id = channel.Id, Revision = channel.Revision, Name = channel.Name, Kind = channel.Kind, Url = channel.Url, SmtpHost = channel.SmtpHost,
        SmtpPort = channel.SmtpPort, SmtpUser = channel.SmtpUser, SmtpTls = channel.SmtpTls, MailFrom = channel.MailFrom, MailTo = channel.MailTo,
        Events = channel.Events, Enabled = channel.Enabled,
    };
}

/// <summary>A channel as the settings page shows it: without its secret, which only appears masked.</summary>
public sealed record ChannelView(NotificationChannel Channel, string MaskedSecret);
