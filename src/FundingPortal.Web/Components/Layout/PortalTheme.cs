using MudBlazor;

namespace FundingPortal.Web.Components.Layout;

public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#2f5d8a", Secondary = "#3c8d6e", AppbarBackground = "#2f5d8a" },
        PaletteDark = new PaletteDark { Primary = "#7fb2e5", Secondary = "#6fcf97" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
