namespace FundingPortal.Web.Features.Demo;

/// <summary>Demo accounts and the sponsoring organisations they belong to.</summary>
internal sealed partial class DemoSeeding
{
    private static readonly SponsorProfile[] NamedSponsors =
    [
        new("Lambda Forge Ltd", "lambda-forge", "USD", 0.97),
        new("Typewise Systems", "typewise", "USD", 0.93),
        new("Monadic Labs GmbH", "monadic-labs", "EUR", 0.90),
        new("Strictly Typed Inc.", "strictly-typed", "USD", 0.95, PublicListing.Anonymous),
        new("Curry & Partners LLP", "curry-partners", "GBP", 0.62),
        new("Kleisli Cloud Services", "kleisli-cloud", "USD", 0.92),
        new("Northwind Quant", "northwind-quant", "USD", 0.88, PublicListing.Anonymous),
        new("Fold Right Software BV", "fold-right", "EUR", 0.85),
        new("Bytecraft KK", "bytecraft", "JPY", 0.90),
        new("Pure Function Capital", "pure-function", "USD", 0.97, PublicListing.Anonymous),
        new("Haskaloo Learning Ltd", "haskaloo", "GBP", 0.70),
        new("Thunkworks Cooperative", "thunkworks", "EUR", 0.80),
    ];

    // Composed names for the large scale: every (prefix, stem, suffix) triple is distinct, so names and slugs never collide.
    private static readonly string[] NamePrefixes =
    [
        "Arrow", "Functor", "Lattice", "Vector", "Cobalt", "Granite", "Harbor", "Quill", "Sparrow", "Tensor",
        "Meridian", "Juniper", "Falcon", "Orbit", "Pillar", "Redwood", "Summit", "Tidal", "Umbra", "Willow",
    ];

    private static readonly string[] NameStems =
    [
        "Analytics", "Robotics", "Software", "Systems", "Labs", "Data", "Networks", "Compute", "Logic", "Works",
        "Dynamics", "Devices", "Security", "Studio", "Foundry",
    ];

    private static readonly (string Suffix, string Currency)[] NameSuffixes =
    [
        ("Ltd", "GBP"), ("Inc.", "USD"), ("GmbH", "EUR"), ("BV", "EUR"), ("LLC", "USD"), ("Oy", "EUR"), ("KK", "JPY"), ("SAS", "EUR"),
    ];

    private static readonly string[] FirstNames =
    [
        "Amara", "Bruno", "Chen", "Dagny", "Emeka", "Farah", "Goran", "Hana", "Ilse", "Jonas", "Keiko", "Lars", "Mira", "Nikhil",
        "Oona", "Pavel", "Quentin", "Rosa", "Sven", "Tomasz", "Uma", "Viktor", "Wen", "Yusuf", "Zofia",
    ];

    private static readonly string[] LastNames =
    [
        "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Ferreira", "Kowalski", "Nakamura", "O'Brien", "Petrov",
        "Quispe", "Rahman", "Schulz", "Varga", "Whitfield", "Yilmaz", "Zhou",
    ];

    private ApplicationUser _admin = null!;
    private ApplicationUser _reviewer = null!;
    private string _passwordHash = "";
    private readonly List<Sponsor> _sponsors = [];

    private sealed record SponsorProfile(string Name, string Slug, string Currency, double Reliability, PublicListing Listing = PublicListing.ByName);

    /// <summary>An organisation as the later areas need it. <see cref="Reliability"/> is how dependably it pays and delivers.</summary>
    private sealed record Sponsor(int Id, string Name, string PublicName, string Slug, string Currency, double Reliability, string OwnerUserId, DateOnly JoinedOn);

    private async Task<IReadOnlyList<string>> SeedPeopleAsync()
    {
        var random = new Random(Seed + 1);
        // Password hashing is slow on purpose; every demo account has the same password, so one hash serves them all.
        _passwordHash = users.PasswordHasher.HashPassword(new ApplicationUser(), DemoData.DemoPassword);
        var staffSince = HistoryStart.AddDays(-120);
        _admin = await UserAsync(DemoAuthenticator.AdminEmail, "Ada Admin", Roles.Admin, staffSince);
        if (knownKeyStore is not null)
        {
            await DemoAuthenticator.GiveKnownKeyAsync(users, knownKeyStore, _admin);
        }
        _reviewer = await UserAsync("reviewer@demo.fundingportal.local", "Rui Reviewer", Roles.Reviewer, staffSince);
        var sponsorUser = await UserAsync("sponsor@demo.fundingportal.local", "Sam Sponsor", role: null, HistoryStart.AddDays(-60));

        var organisations = new List<(Organisation Organisation, SponsorProfile Profile, DateOnly JoinedOn)>();
        for (var i = 0; i < size.Organisations; i++)
        {
            var profile = i < NamedSponsors.Length ? NamedSponsors[i] : ComposedSponsor(random, i - NamedSponsors.Length);
            var joinedOn = i < NamedSponsors.Length ? HistoryStart.AddDays(-60 + (i * 11)) : JoinedOn(random);
            var owner = i == 0 ? sponsorUser : await UserAsync($"owner@{profile.Slug}.example", PersonName(i), role: null, joinedOn);
            var organisation = Organisation.Create(new OrganisationProfile(profile.Name, profile.Slug, $"https://{profile.Slug}.example", null,
                $"billing@{profile.Slug}.example", profile.Listing), owner.Id, At(joinedOn, 10 * 60));
            organisations.Add((organisation, profile, joinedOn));
        }
        for (var m = 0; m < size.ExtraMembers; m++)
        {
            var (organisation, profile, joinedOn) = organisations[m % organisations.Count];
            var name = PersonName(1_000 + m);
            var email = $"{name.Split(' ')[0].ToLowerInvariant()}.{m + 1}@{profile.Slug}.example";
            var joined = joinedOn.AddDays(random.Next(10, 200));
            var member = await UserAsync(email, name, role: null, joined);
            Must(organisation.AddMember(member.Id, At(joined, 11 * 60)));
        }
        db.Organisations.AddRange(organisations.Select(o => o.Organisation));
        await SaveAsync();

        _sponsors.AddRange(organisations.Select(o => new Sponsor(o.Organisation.Id, o.Organisation.Name, o.Organisation.PublicName, o.Profile.Slug,
            o.Profile.Currency, o.Profile.Reliability, o.Organisation.Members[0].UserId, o.JoinedOn)));
        return
        [
            knownKeyStore is null
                ? $"{_admin.Email} / {DemoData.DemoPassword} (admin; asked to set up an authenticator app)"
                : $"{_admin.Email} / {DemoData.DemoPassword} (admin; authenticator key {DemoAuthenticator.AdminKey}, or run the totp verb for the current code)",
            $"{_reviewer.Email} / {DemoData.DemoPassword} (reviewer)",
            $"{sponsorUser.Email} / {DemoData.DemoPassword} (sponsor member of {organisations[0].Organisation.Name})",
        ];
    }

    private static SponsorProfile ComposedSponsor(Random random, int index)
    {
        var prefix = NamePrefixes[index % NamePrefixes.Length];
        var stem = NameStems[index / NamePrefixes.Length % NameStems.Length];
        var (suffix, currency) = NameSuffixes[index / (NamePrefixes.Length * NameStems.Length) % NameSuffixes.Length];
        var slug = $"{prefix}-{stem}-{suffix.TrimEnd('.')}".ToLowerInvariant();
        var listing = Chance(random, 0.15) ? PublicListing.Anonymous : PublicListing.ByName;
        return new SponsorProfile($"{prefix} {stem} {suffix}", slug, currency, 0.65 + (random.NextDouble() * 0.34), listing);
    }

    /// <summary>Most sponsors have been around since early in the history; a few joined recently.</summary>
    private DateOnly JoinedOn(Random random)
    {
        var span = _today.AddDays(-45).DayNumber - HistoryStart.AddDays(-60).DayNumber;
        return HistoryStart.AddDays(-60 + (int)(Math.Pow(random.NextDouble(), 2.5) * span));
    }

    private static string PersonName(int index) =>
        $"{FirstNames[index * 7 % FirstNames.Length]} {LastNames[index * 11 % LastNames.Length]}";

    private async Task<ApplicationUser> UserAsync(string email, string name, string? role, DateOnly since)
    {
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            CreatedAt = At(since, 9 * 60),
            PasswordHash = _passwordHash,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }
        return user;
    }
}
