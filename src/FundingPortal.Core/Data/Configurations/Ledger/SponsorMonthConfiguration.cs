namespace FundingPortal.Core.Data.Configurations;

internal sealed class SponsorMonthConfiguration : IEntityTypeConfiguration<SponsorMonth>
{
    public void Configure(EntityTypeBuilder<SponsorMonth> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.Month });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
    }
}
