namespace FundingPortal.Core.Data.Configurations;

internal sealed class TimeTotalConfiguration : IEntityTypeConfiguration<TimeTotal>
{
    public void Configure(EntityTypeBuilder<TimeTotal> builder)
    {
        builder.HasKey(t => new { t.FundId, t.OrganisationId });
        builder.HasOne<Fund>().WithMany().HasForeignKey(t => t.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
