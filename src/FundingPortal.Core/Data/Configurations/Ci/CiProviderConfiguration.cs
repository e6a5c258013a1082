namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiProviderConfiguration : IEntityTypeConfiguration<CiProvider>
{
    public void Configure(EntityTypeBuilder<CiProvider> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.HasMany(p => p.Prices).WithOne().HasForeignKey(p => p.ProviderId).OnDelete(DeleteBehavior.Cascade);
    }
}
