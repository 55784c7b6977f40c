using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BotCore.MigrationPortal.Components.Pages.Backups;

/// <summary>
/// The backups page: every backup with its verification and restores; back up a whole database, verify, restore (after
/// typing the target's name) and apply retention, each as a background job whose progress shows live. Buttons appear only
/// for the roles that may use them; the service checks the roles again.
/// </summary>
public partial class BackupsPage
{
    private static readonly DialogOptions RestoreDialog = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
    private IReadOnlyList<BackupManifest>? backups;
    private string? target;
    private string? following;
    private bool canOperate;
    private bool canRestore;
    private bool isAdmin;
    private bool canRestoreInto;
    private bool busy;

    [Inject] private IBackupService Backups { get; set; } = default!;
    [Inject] private BackupRequests Requests { get; set; } = default!;
    [Inject] private TargetRegistry Targets { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private RestoreSla Sla { get; set; } = default!;

    /// <summary>The operation whose progress to show: after a reload the page replays it and goes on following.</summary>
    [SupplyParameterFromQuery(Name = "follow")] public string? Follow { get; set; }

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        (canOperate, canRestore, isAdmin) = (BackupRules.Check(BackupAction.BackUp, actor).Allowed, BackupRules.Check(BackupAction.Restore, actor).Allowed,
            BackupRules.Check(BackupAction.ApplyRetention, actor).Allowed);
        canRestoreInto = BackupRules.Check(BackupAction.RestoreInto, actor).Allowed;
        target = Targets.All.FirstOrDefault()?.Name;
        await ReloadAsync();
    }

    protected override void OnParametersSet()
    {
        if (BackupIds.IsOperation(Follow)) following = Follow;
    }

    private async Task ReloadAsync() => backups = await Backups.ListAsync(Closed);

    private Task BackUpAsync() =>
        StartAsync(actor => Requests.BackUpDatabaseAsync(actor, target!, Closed), $"Backup of {target} queued: its progress shows above");

    private Task VerifyAsync(BackupManifest backup) =>
        StartAsync(actor => Requests.VerifyAsync(actor, backup.Id, Closed), $"Verification of {backup.Id} queued: its progress shows above");

    private async Task RestoreAsync(BackupManifest backup)
    {
        var dialog = await Dialogs.ShowAsync<RestoreBackupDialog>($"Restore backup {backup.Id}",
            new DialogParameters<RestoreBackupDialog> { { d => d.Backup, backup } }, RestoreDialog);
        if (await dialog.Result is not { Canceled: false, Data: string typed }) return;
        await StartAsync(actor => Requests.RestoreAsync(actor, backup.Id, typed, Closed), $"Restore of {backup.Id} over {backup.Target} queued: its progress shows above");
    }

    /// <summary>The targets the tier rule lets this backup go into; none for a backup of Development, or of a target no longer configured.</summary>
    private IReadOnlyList<TargetDescriptor> DestinationsOf(BackupManifest backup) =>
        Targets.All.FirstOrDefault(t => t.Name == backup.Target) is { } source
            ? Targets.All.Where(t => BackupRules.CheckRehearsal(source.Name, source.Tier, t.Name, t.Tier).Allowed).ToList()
            : [];

    private async Task RestoreIntoAsync(BackupManifest backup)
    {
        var dialog = await Dialogs.ShowAsync<RestoreIntoDialog>($"Restore backup {backup.Id} into another target",
            new DialogParameters<RestoreIntoDialog> { { d => d.Backup, backup }, { d => d.Destinations, DestinationsOf(backup) } }, RestoreDialog);
        if (await dialog.Result is not { Canceled: false, Data: RestoreIntoDialog.Request request }) return;
        await StartAsync(actor => Requests.RestoreIntoAsync(actor, backup.Id, request.Destination, request.Confirmation, request.Masking, Closed),
            $"Restore of {backup.Id} into {request.Destination} queued: its progress shows above");
    }

    private async Task ApplyRetentionAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Apply retention now?", $"This removes {Requests.Retention.Describe()}.",
            yesText: "Apply retention", cancelText: "Cancel");
        if (confirmed != true) return;
        busy = true;
        await TryAsync(async () =>
        {
            var removed = await Requests.ApplyRetentionAsync(await CallerAsync(), Closed);
            Snackbar.Add(removed.Count == 0 ? "Retention removed nothing" : $"Retention removed {removed.Count} backups: {string.Join(", ", removed.Select(r => r.Backup.Id))}",
                Severity.Success);
        });
        await ReloadAsync();
        busy = false;
    }

    /// <summary>Queues an operation as the signed-in person and follows its progress on this page (the address says which, for a reload).</summary>
    private async Task StartAsync(Func<Caller, Task<string>> request, string queued)
    {
        busy = true;
        string? operation = null;
        if (await TryAsync(async () => operation = await request(await CallerAsync()), queued))
        {
            following = operation;
            Navigation.NavigateTo($"backups?follow={Uri.EscapeDataString(operation!)}", replace: true);
        }
        busy = false;
    }
}
