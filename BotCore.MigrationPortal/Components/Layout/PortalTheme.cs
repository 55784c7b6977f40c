using MudBlazor;

namespace BotCore.MigrationPortal.Components.Layout;

public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            // MudBlazor's default success/warning/info/error reach only ~2.2-3.7:1 with white text; these darker shades
            // give at least 5.6:1 as text on white and under white text (WCAG 2.1 AA asks 4.5:1), with room for the
            // slight translucency of stacked messages.
            Primary = "#1f4e79",
            Secondary = "#246b28",
            Success = "#246b28",
            Warning = "#a0520a",
            Info = "#1565c0",
            Error = "#c62828",
            AppbarBackground = "#1f4e79",
        },
    };
}
