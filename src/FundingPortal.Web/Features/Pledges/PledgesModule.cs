namespace FundingPortal.Web.Features.Pledges;

public static class PledgesModule
{
    public static IHostApplicationBuilder AddPledges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PledgeOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.PledgesPerHour = configuration.GetValue("Portal:PledgesPerHour", 10);
                options.CardPaymentsEnabled = !string.IsNullOrWhiteSpace(configuration["Stripe:SecretKey"]);
            })
            .Validate(o => o.PledgesPerHour > 0, "Portal:PledgesPerHour must be a whole number above 0.")
            .ValidateOnStart();
        return builder.AddHandlers(typeof(SubmitPledge), typeof(ReviewPledge), typeof(ManagePledge), typeof(GetPledges));
    }
}
