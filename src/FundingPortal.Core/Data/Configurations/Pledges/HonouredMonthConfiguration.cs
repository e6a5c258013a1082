namespace FundingPortal.Core.Data.Configurations;

internal sealed class HonouredMonthConfiguration : IEntityTypeConfiguration<HonouredMonth>
{
    public void Configure(EntityTypeBuilder<HonouredMonth> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.Month });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.Month);
        // The column keeps its first name: the roll-up triggers in the migrations write it.
        builder.Property(m => m.ShareSum).HasColumnName("RateSum");
    }
}
