using MudBlazor;

namespace BotCore.MigrationPortal.Components.Shared;

public static class DialogServiceExtensions
{
    /// <summary>Asks for a text (a comment, a reason); null when the person cancels.</summary>
    public static async Task<string?> AskAsync(this IDialogService dialogs, string title, string prompt, string label, int minimumLength,
        string confirmText, Color confirmColor = Color.Primary)
    {
        var dialog = await dialogs.ShowAsync<ReasonDialog>(title, new DialogParameters<ReasonDialog>
        {
            { d => d.Prompt, prompt },
            { d => d.Label, label },
            { d => d.MinimumLength, minimumLength },
            { d => d.ConfirmText, confirmText },
            { d => d.ConfirmColor, confirmColor },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string text } ? text : null;
    }
}
