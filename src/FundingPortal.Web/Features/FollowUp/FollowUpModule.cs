namespace FundingPortal.Web.Features.FollowUp;

public static class FollowUpModule
{
    public static IHostApplicationBuilder AddFollowUp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FollowUpOptions>().BindConfiguration(PortalOptions.Section)
            .Validate(o => o.FollowUpIntervalMinutes is >= 0 and <= 7 * 24 * 60,
                "Portal:FollowUpIntervalMinutes must be a whole number of minutes from 0 (off) to 10080 (a week).")
            .ValidateOnStart();
        builder.Services.AddSingleton<FollowUpJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FollowUpJob>());
        return builder.AddHandlers(typeof(OverdueInstallments), typeof(FollowUpActions));
    }
}
