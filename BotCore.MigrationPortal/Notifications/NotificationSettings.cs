using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;
using MimeKit;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// What an Admin does on the Notifications page: list, add, edit, enable and disable channels. Each act reads the person from the store
/// and asks <see cref="NotificationRules"/> (a refusal is audited), saves against the revision the page showed (a stale page is refused),
/// and is audited with what changed, never with the secret. No channel leaves this service with its secret.
/// </summary>
public sealed class NotificationSettings(INotificationStore store, ActionAuthorizer authorizer, IAuditLog audit, TimeProvider time)
{
    public const int NameMaximumLength = 60;

    public async Task<IReadOnlyList<ChannelView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        await authorizer.AuthorizeAsync(caller, "list the notification channels", NotificationRules.Check, cancellationToken);
        return (await store.ListChannelsAsync(cancellationToken)).Select(View).ToList();
    }

    public async Task<ChannelView> SaveAsync(Caller caller, ChannelDraft draft, CancellationToken cancellationToken)
    {
        var attempted = draft.Id is null ? $"add the notification channel '{draft.Name}'" : $"change the notification channel '{draft.Name}'";
        var actor = await authorizer.AuthorizeAsync(caller, attempted, NotificationRules.Check, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (draft.Id is null)
        {
            var added = Validated(draft, previous: null) with { Id = $"ch-{Guid.NewGuid():N}"[..11], Revision = 1, UpdatedBy = actor.Name, UpdatedAt = now };
            if (!await store.TryInsertChannelAsync(added, cancellationToken))
            {
                throw NotificationRules.NameTaken(added.Name);
            }
            await audit.RecordAsync(AuditRecord.By(actor, AuditActions.NotificationChannelAdded, Describe(added, "added", secretChanged: true)), cancellationToken);
            return View(added);
        }
        var current = await CurrentAsync(draft.Id, draft.Revision, cancellationToken);
        var changed = Validated(draft, current) with { Revision = current.Revision + 1, UpdatedBy = actor.Name, UpdatedAt = now };
        await ReplaceAsync(changed, current, cancellationToken);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.NotificationChannelChanged,
            Describe(changed, "changed", secretChanged: changed.Secret != current.Secret)), cancellationToken);
        return View(changed);
    }

    public async Task<ChannelView> SetEnabledAsync(Caller caller, string id, long revision, bool enabled, CancellationToken cancellationToken)
    {
        var verb = enabled ? "enable" : "disable";
        var actor = await authorizer.AuthorizeAsync(caller, $"{verb} the notification channel {id}", NotificationRules.Check, cancellationToken);
        var current = await CurrentAsync(id, revision, cancellationToken);
        var changed = current with { Enabled = enabled, Revision = current.Revision + 1, UpdatedBy = actor.Name, UpdatedAt = time.GetUtcNow().UtcDateTime };
        await ReplaceAsync(changed, current, cancellationToken);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.NotificationChannelChanged, $"{verb}d {changed.Kind} channel '{changed.Name}'"), cancellationToken);
        return View(changed);
    }

    private static ChannelView View(NotificationChannel channel) => new(channel with { Secret = null }, SecretMask.Of(channel.Secret));

    private async Task<NotificationChannel> CurrentAsync(string id, long revision, CancellationToken cancellationToken)
    {
        var current = await store.FindChannelAsync(id, cancellationToken) ?? throw new NotFoundRefusalException($"There is no notification channel {id}.");
        if (current.Revision != revision)
        {
            throw new ConflictRefusalException(
                $"The channel '{current.Name}' changed since your page showed it (by {current.UpdatedBy} at {current.UpdatedAt:u}). Nothing was saved: look at it again.");
        }
        return current;
    }

    /// <exception cref="ConflictRefusalException">Someone changed the channel meanwhile, or it was renamed to another channel's name.</exception>
    private async Task ReplaceAsync(NotificationChannel changed, NotificationChannel current, CancellationToken cancellationToken)
    {
        if (!await store.TryReplaceChannelAsync(changed, current.Revision, cancellationToken))
        {
            throw new ConflictRefusalException($"The channel '{current.Name}' was changed by someone else at the same moment. Nothing was saved: look at it again.");
        }
    }

    /// <summary>"added Slack channel 'ops' (https://hooks.slack.com/…abcd) for Run failed, Rollback failed; enabled; secret set": no secret.</summary>
    private static string Describe(NotificationChannel channel, string verb, bool secretChanged) =>
        $"{verb} {channel.Kind} channel '{channel.Name}' ({channel.Destination}) for {string.Join(", ", channel.Events.Select(e => e.DisplayName()))}; " +
        $"{(channel.Enabled ? "enabled" : "disabled")}{(secretChanged ? "; secret set" : "")}";

    /// <exception cref="ActionRefusedException">A field is missing or not valid, with a sentence that names it.</exception>
    private static NotificationChannel Validated(ChannelDraft draft, NotificationChannel? previous)
    {
        var name = draft.Name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new ActionRefusedException("Give the channel a name.");
        if (name.Length > NameMaximumLength) throw new ActionRefusedException($"The name has {name.Length} characters; at most {NameMaximumLength}.");
        if (previous is not null && previous.Kind != draft.Kind) throw new ActionRefusedException("A channel's kind cannot change: add a new channel instead.");
        if (draft.Events.Count == 0) throw new ActionRefusedException("Choose at least one event the channel gets.");
        var secret = string.IsNullOrWhiteSpace(draft.Secret) ? previous?.Secret : draft.Secret.Trim();
        if (secret?.Length > FreeText.ShortMaximumLength * 2) throw new ActionRefusedException("The secret is too long (at most 400 characters).");
        switch (draft.Kind)
        {
            case ChannelKind.Webhook:
                RequireUrl(draft.Url, "The webhook URL");
                if (string.IsNullOrEmpty(secret)) throw new ActionRefusedException("Give the webhook a signing key (the receiver checks the signature with it).");
                break;
            case ChannelKind.Slack or ChannelKind.Teams:
                RequireUrl(secret, $"The {draft.Kind} webhook URL", httpsOnly: true);
                break;
            case ChannelKind.Email:
                if (string.IsNullOrWhiteSpace(draft.SmtpHost)) throw new ActionRefusedException("Give the SMTP server's host name.");
                if (draft.SmtpPort is < 1 or > 65535) throw new ActionRefusedException("The SMTP port must be between 1 and 65535.");
                if (!MailboxAddress.TryParse(draft.MailFrom, out _)) throw new ActionRefusedException("The sender ('From') is not an e-mail address.");
                if (!InternetAddressList.TryParse(draft.MailTo, out var to) || to.Count == 0) throw new ActionRefusedException("The recipients ('To') are not e-mail addresses.");
                break;
        }
        return new NotificationChannel
        {
            Id = draft.Id ?? "", Name = name, Kind = draft.Kind, UpdatedBy = "",
            Url = draft.Kind == ChannelKind.Webhook ? draft.Url!.Trim() : null,
            Secret = secret,
            SmtpHost = draft.Kind == ChannelKind.Email ? draft.SmtpHost!.Trim() : null, SmtpPort = draft.SmtpPort,
            SmtpUser = string.IsNullOrWhiteSpace(draft.SmtpUser) ? null : draft.SmtpUser.Trim(), SmtpTls = draft.SmtpTls,
            MailFrom = draft.MailFrom?.Trim(), MailTo = draft.MailTo?.Trim(),
            Events = draft.Events.Distinct().Order().ToList(), Enabled = draft.Enabled,
        };
    }

    private static void RequireUrl(string? url, string what, bool httpsOnly = false)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || httpsOnly && uri.Scheme != "https")
        {
            throw new ActionRefusedException($"{what} must be an absolute {(httpsOnly ? "https" : "http or https")} URL.");
        }
    }
}
