# Independent reference figures for the experiment statistics tests (ExperimentStatisticsTests, CookieCatsGoldenTests).
# Run with Debian 12's python3 (3.11) and python3-scipy (1.10.1):  /usr/bin/python3 reference_figures.py
import csv, math, os, statistics
from scipy import stats, integrate

def two_prop(xc, nc, xt, nt):
    pc, pt = xc / nc, xt / nt
    pooled = (xc + xt) / (nc + nt)
    z = (pt - pc) / math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt))
    se = math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt)
    q = stats.norm.ppf(0.975)
    bc, bt = stats.beta(1 + xc, 1 + nc - xc), stats.beta(1 + xt, 1 + nt - xt)
    lo = max(0, min(bc.mean() - 15 * bc.std(), bt.mean() - 15 * bt.std()))
    hi = min(1, max(bc.mean() + 15 * bc.std(), bt.mean() + 15 * bt.std()))
    chance = integrate.quad(lambda p: bt.pdf(p) * bc.cdf(p), lo, hi, limit=200, epsabs=1e-12)[0]
    return dict(lift=pt - pc, rel=(pt - pc) / pc, p=2 * stats.norm.sf(abs(z)), lo=pt - pc - q * se, hi=pt - pc + q * se, chance=chance)

def welch(c, t):
    res = stats.ttest_ind(t, c, equal_var=False)
    vc, vt = stats.tvar(c) / len(c), stats.tvar(t) / len(t)
    df = (vc + vt) ** 2 / (vc ** 2 / (len(c) - 1) + vt ** 2 / (len(t) - 1))
    d = sum(t) / len(t) - sum(c) / len(c)
    q = stats.t.ppf(0.975, df)
    se = math.sqrt(vc + vt)
    return dict(lift=d, p=res.pvalue, df=df, lo=d - q * se, hi=d + q * se, chance=stats.norm.cdf(d / se))

path = os.path.join(os.path.dirname(__file__), '../../../../shared/data/cookie_cats.csv')
groups = {}
with open(path, newline='') as f:
    for row in csv.DictReader(f):
        g = groups.setdefault(row['version'], {'n': 0, 'r1': 0, 'r7': 0, 'rounds': []})
        g['n'] += 1
        g['r1'] += row['retention_1'] == 'TRUE'
        g['r7'] += row['retention_7'] == 'TRUE'
        g['rounds'].append(float(row['sum_gamerounds']))
c, t = groups['gate_30'], groups['gate_40']
print('cookie cats n', c['n'], t['n'], 'srm', stats.chisquare([c['n'], t['n']]))
print('retention_1', c['r1'], t['r1'], two_prop(c['r1'], c['n'], t['r1'], t['n']))
print('retention_7', c['r7'], t['r7'], two_prop(c['r7'], c['n'], t['r7'], t['n']))
print('sum_gamerounds', welch(c['rounds'], t['rounds']))

print('small rates 3/10 vs 5/12', two_prop(3, 10, 5, 12))
print('welch small', welch([19.2, 21.5, 18.8, 22.1, 20.4, 19.9], [23.5, 20.1, 25.8, 24.2, 21.9, 26.7, 22.4, 23.0]))
print('srm planted 50000/51500', stats.chisquare([50000, 51500]))
print('srm fair 50000/50100', stats.chisquare([50000, 50100]))
print('srm 3 arms 50/25/25 of 20000: 10100/4950/4950', stats.chisquare([10100, 4950, 4950], [10000, 5000, 5000]))

# Minimum detectable effect at 80% power, alpha 0.05 two-sided (normal approximation): for a rate the smallest d with
# Phi(d / sqrt(p(1-p)/nc + (p+d)(1-p-d)/nt) - z_0.975) >= 0.8, by bisection; for a mean (z_0.975 + z_0.8) sd_c sqrt(1/nc + 1/nt),
# sd_c the control's sample standard deviation. The figures in the tests were computed with these formulas and Python
# 3.11's statistics.NormalDist in place of stats.norm (equal to within 1e-12 here).
def mde_rate(p, nc, nt):
    lo, hi = 0.0, 1 - p
    for _ in range(200):
        mid = (lo + hi) / 2
        se = math.sqrt(p * (1 - p) / nc + (p + mid) * (1 - p - mid) / nt)
        lo, hi = (lo, mid) if stats.norm.cdf(mid / se - stats.norm.ppf(0.975)) >= 0.8 else (mid, hi)
    return hi
z80 = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
print('mde retention_7', mde_rate(c['r7'] / c['n'], c['n'], t['n']))
print('mde sum_gamerounds', z80 * statistics.stdev(c['rounds']) * math.sqrt(1 / c['n'] + 1 / t['n']))
