namespace FundingPortal.Web.Infrastructure;

public static class FeatureHandlers
{
    /// <summary>
    /// Registers a capability's handlers in one call, each scoped: a handler lives as long as the request or circuit that uses it,
    /// and opens its own contexts through <see cref="Handlers"/>.
    /// </summary>
    public static IHostApplicationBuilder AddHandlers(this IHostApplicationBuilder builder, params ReadOnlySpan<Type> handlers)
    {
        foreach (var handler in handlers)
        {
            builder.Services.AddScoped(handler);
        }
        return builder;
    }
}
