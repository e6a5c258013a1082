using MudBlazor;

namespace FundingPortal.Web.Components.Layout;

public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        // Error, success, warning and info darker than MudBlazor's defaults, so text in them reaches WCAG AA contrast (4.5:1) on white.
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5d8a",
            Secondary = "#3c8d6e",
            AppbarBackground = "#2f5d8a",
            Error = "#c62828",
            Success = "#2e7d32",
            Warning = "#9a5b00",
            Info = "#0767a8",
        },
        PaletteDark = new PaletteDark { Primary = "#7fb2e5", Secondary = "#6fcf97", Error = "#ff8a80" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
