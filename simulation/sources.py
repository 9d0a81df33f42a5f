"""The bibliography: every source a parameter, target or trial cites, with its full reference.

Declarations cite their sources in short free text (``seed 003 (HPA-axis modulation)``,
``Dahlhamer 2018``, ``Currie & Wang 2004, Pain``). This module is where such a short citation
leads: each `Source` gives the full reference and, in a few sentences, what the source reports
that the model uses. A test checks that every cited value resolves, i.e. that every citation-like
phrase in every source string names an entry here (`undocumented` returns nothing).

The five source documents of the project are cited as ``seed 000`` to ``seed 004``; a string may
name several at once (``seed 000, 002``, ``seeds 000-003``, ``seed 004, seed 001``).

``docs/sources.md`` is generated from this module::

    python -m simulation.sources > docs/sources.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["source document", "paper", "report", "classification", "data"]


@dataclass(frozen=True)
class Source:
    """One documented source.

    Attributes:
        key: how the project cites it (``seed 003``, ``Dahlhamer et al. 2018``, ``DSM-5``).
        aliases: other spellings that appear in source strings (``Dahlhamer 2018``).
        reference: the full reference in one line.
        reports: what the source reports that the model uses, in a few sentences.
        kind: source document, paper, report, classification or data.
    """

    key: str
    aliases: tuple[str, ...]
    reference: str
    reports: str
    kind: Kind

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase that names this source: the key, the aliases and, for an ``X et al. YYYY``
        key, the short form ``X YYYY``."""
        short = re.fullmatch(r"(.+?) et al\. (\d{4})", self.key)
        derived = (f"{short.group(1)} {short.group(2)}",) if short else ()
        return tuple(dict.fromkeys((self.key, *self.aliases, *derived)))


SOURCES: tuple[Source, ...] = (
    # --- the five source documents -------------------------------------------------------------
    Source(
        key="seed 000",
        aliases=(),
        reference=(
            '"Finding The Links Between Depression And Back Pain", a post on the "Inside Holistic Pain" blog of '
            "Holistic Pain, a pain clinic. It describes, without naming them, a rodent study from UC Irvine and UCLA "
            "and an analysis of data on over 2,000 twins."
        ),
        reports=(
            "Says that as many as half of people with chronic pain are also depressed and that back pain and "
            "depression drive each other: dwelling on pain magnifies it, depression gives pain an emotional reading, "
            "pain disturbs sleep and pushes people out of work, roles and activity, and starting exercise brings "
            "aches at first. Describes chronic pain inflaming the brain in rodents, with activated microglia "
            "restricting dopamine (a route to anhedonia and to opioids that no longer work), twin data suggesting "
            "that the vulnerability shared by the two conditions is mostly not genetic, and opioids as carrying "
            "risks of abuse, addiction and depression. Relieving either condition may relieve the other; treating "
            "both is best."
        ),
        kind="source document",
    ),
    Source(
        key="seed 001",
        aliases=("Yang et al. 2023",),
        reference=(
            '"How Are Back Pain & Depression Related?", a research-summary page of the MIDUS (Midlife in the United '
            "States) study, reporting Yang H, Hurwitz EL, Li J, de Luca K, Tavares P, Green B, Haldeman S. "
            "Bidirectional comorbid associations between back pain and major depression in US adults. International "
            "Journal of Environmental Research and Public Health 2023;20(5):4217."
        ),
        reports=(
            "In over 2,000 US adults surveyed twice, 9 years apart, major depression was reported by 17.4% of those "
            "with low back pain against 10.5% of those without, and back pain by 37.4% of the depressed against "
            "22.5% of the others. Back pain at the first wave was significantly associated with depression at the "
            "second and depression with later back pain, adjusted for age, sex, socioeconomic status and behaviour "
            "(exercise, smoking, alcohol, obesity); no odds ratios are quoted. Back pain means pain almost every day "
            "or several times a week in the past 30 days, depression two weeks of low mood with symptoms in the past "
            "year; job strain is named as a possible shared pathway."
        ),
        kind="source document",
    ),
    Source(
        key="seed 002",
        aliases=(),
        reference=(
            '"Chronic Pain and Depression: Breaking the Cycle That Feeds Both", a general health article (the copy '
            "names no author or outlet). It mentions work from Stanford University, the University of Michigan and a "
            "cohort study at the University of Bergen without citing them."
        ),
        reports=(
            "Describes chronic pain reshaping the brain's emotional circuits as it lasts, depression lowering pain "
            "thresholds by weakening descending inhibition, pain cutting deep sleep, sleep loss raising inflammatory "
            "markers, impairing emotional regulation and sharpening pain, and depression degrading sleep on its own; "
            "insomnia is said to predict both new chronic pain and depressive episodes, and treating one condition "
            "alone to bring more relapses. Adds withdrawal (fear of movement, deconditioning, fewer endorphins, a "
            "lost social buffer), catastrophic thinking and not being believed as drivers, and names CBT, graded "
            "exercise, duloxetine and mindfulness-based stress reduction as treatments. It gives no numbers."
        ),
        kind="source document",
    ),
    Source(
        key="seed 003",
        aliases=(),
        reference=(
            '"The Bidirectional Link Between Chronic Pain and Depression", a medical acupuncture clinic\'s '
            "patient-information page. It refers to the electroacupuncture work of Han Jisheng (Peking University) "
            "but cites no paper."
        ),
        reports=(
            "States that 40-60% of chronic-pain patients meet criteria for major depression and that depression "
            "carries two to four times the risk of developing chronic pain. Its mechanism is the HPA axis: chronic "
            "stress keeps cortisol high, negative feedback fails, serotonin and noradrenaline run down, descending "
            "inhibition weakens and central sensitisation and microglial inflammation in the dorsal horn follow; "
            "depression also raises muscle tone and trigger points through sympathetic over-activity. It tabulates "
            "2 Hz, 100 Hz and alternating 2/100 Hz electroacupuncture (neuropeptides, cortisol, antidepressant and "
            "analgesic effect) and says improvement starts around session 4-6 and builds over 8-12 weeks, sleep "
            "first, that acupuncture potentiates SNRIs, and that most SSRIs hardly change pain."
        ),
        kind="source document",
    ),
    Source(
        key="seed 004",
        aliases=(),
        reference=(
            '"Lower back insomnia and pain in the lower back What\'s the relationship?", a medical news article '
            "credited to Medical News Today (the copy is reworded and garbled in places), reporting a Mendelian "
            "randomisation study by Luo and colleagues at Zhejiang University School of Medicine, published in "
            "Frontiers in Neuroscience."
        ),
        reports=(
            "From genetic data on 336,965 UK Biobank participants of European ancestry, the study found causation "
            "running both ways between insomnia and low back pain, none for short or long sleep, and one running "
            "only from low back pain to daytime sleepiness. The article adds that 7.3% of the world's population has "
            "low back pain at any moment (the 2015 Global Burden of Disease study), that physically demanding work, "
            "smoking, obesity and inactivity raise its risk, that in a diary study of 80 patients a poor night was "
            "followed by a more painful day and a painful day by a worse night, that poorer sleep quality or "
            "quantity carries a two- to three-fold risk of developing chronic pain, and that sleep regulators might "
            "treat back pain."
        ),
        kind="source document",
    ),
    # --- papers, reports, classifications and data (alphabetical by key) --------------------------
    Source(
        key="Afolalu et al. 2018",
        aliases=(),
        reference=(
            "Afolalu EF, Ramlee F, Tang NKY. Effects of sleep changes on pain-related health outcomes in the general "
            "population: a systematic review of longitudinal studies with exploratory meta-analysis. Sleep Medicine "
            "Reviews 2018;39:82-97."
        ),
        reports=(
            "Reviews 16 longitudinal general-population studies (about 61,000 people): a decline in sleep quality or "
            "quantity went with a two- to three-fold risk of developing a pain condition, small rises in "
            "inflammatory markers and worse self-reported physical health. This is the size of the poor sleep -> new "
            "chronic pain target that seed 004 quotes."
        ),
        kind="paper",
    ),
    Source(
        key="Alev et al. 2017",
        aliases=(),
        reference=(
            "Alev L, Fujikoshi S, Yoshikawa A, Enomoto H, Ishida M, Tsuji T, Ogawa K, Konno S. Duloxetine 60 mg for "
            "chronic low back pain: post hoc responder analysis of double-blind, placebo-controlled trials. Journal "
            "of Pain Research 2017;10:1723-1731."
        ),
        reports=(
            "Pools four placebo-controlled trials of duloxetine 60 mg for 12-14 weeks in chronic low back pain (642 "
            "patients on duloxetine, 653 on placebo): 59.7% against 47.8% had at least 30% less pain, and 48.6% "
            "against 35.1% at least 50% less. These are the responder rates of the duloxetine virtual trial."
        ),
        kind="paper",
    ),
    Source(
        key="Baglioni et al. 2011",
        aliases=(),
        reference=(
            "Baglioni C, Battagliese G, Feige B, Spiegelhalder K, Nissen C, Voderholzer U, Lombardo C, Riemann D. "
            "Insomnia as a predictor of depression: a meta-analytic evaluation of longitudinal epidemiological "
            "studies. Journal of Affective Disorders 2011;135(1-3):10-19."
        ),
        reports=(
            "Across 21 longitudinal studies, people with insomnia who were not depressed had about twice the odds of "
            "becoming depressed later (random-effects odds ratio 2.60, 95% CI 1.98-3.42; 2.10 in a fixed-effects "
            "model once outliers were set aside). Supports the poor sleep -> depressive episode edge and its size."
        ),
        kind="paper",
    ),
    Source(
        key="Bair et al. 2003",
        aliases=(),
        reference=(
            "Bair MJ, Robinson RL, Katon W, Kroenke K. Depression and pain comorbidity: a literature review. "
            "Archives of Internal Medicine 2003;163(20):2433-2445."
        ),
        reports=(
            "Reviews the evidence that depression is commoner among people in pain, and pain among the depressed, "
            "than either is alone; that moderate to severe or disabling pain goes with more depressive symptoms and "
            "worse depression outcomes, and depression with more pain complaints and impairment; and that the two "
            "share biological pathways and neurotransmitters, so both should be assessed and treated together. "
            "Background for the two-way pain-mood edges and for integrated care."
        ),
        kind="paper",
    ),
    Source(
        key="BLS employment-population ratio",
        aliases=("BLS",),
        reference=(
            "U.S. Bureau of Labor Statistics. Labor force statistics from the Current Population Survey: "
            "employment-population ratio by age."
        ),
        reports=(
            "The share of the civilian population in employment, by age group. The model takes the shares of adults "
            "in paid work at ages 18-64 (0.72) and 65 and over (0.18), rounded, to decide who is exposed to job "
            "strain."
        ),
        kind="data",
    ),
    Source(
        key="BLS CPI-U",
        aliases=("CPI-U",),
        reference=(
            "U.S. Bureau of Labor Statistics. Consumer Price Index for All Urban Consumers (CPI-U), U.S. city average, "
            "all items, annual averages (1982-84 = 100)."
        ),
        reports=(
            "The yearly average level of consumer prices in the United States. The model converts every cost from "
            "the price year of its source to the price year a scenario asks for by the ratio of the two years' "
            "averages (2007-2024 are tabulated); general rather than medical-care inflation, a stated choice."
        ),
        kind="data",
    ),
    Source(
        key="Drummond et al. 2015",
        aliases=(),
        reference=(
            "Drummond MF, Sculpher MJ, Claxton K, Stoddart GL, Torrance GW. Methods for the Economic Evaluation of "
            "Health Care Programmes, 4th edition. Oxford University Press, 2015."
        ),
        reports=(
            "The standard textbook of economic evaluation. Sets out the incremental analysis the model's comparison "
            "follows: rank strategies by cost, set aside those dominated outright or by a mix of two others "
            "(extended dominance), and compare each remaining strategy with the next less costly one; also "
            "discounting and net monetary benefit. It supplies methods, not parameter values."
        ),
        kind="report",
    ),
    Source(
        key="Gaskin & Richard 2012",
        aliases=("Gaskin and Richard 2012",),
        reference=(
            "Gaskin DJ, Richard P. The economic costs of pain in the United States. Journal of Pain "
            "2012;13(8):715-724 (first published as Appendix C of the Institute of Medicine report Relieving Pain "
            "in America, 2011)."
        ),
        reports=(
            "From the 2008 Medical Expenditure Panel Survey: adults with moderate pain spent about $4,516 a year "
            "more on health care than adults without pain, and adults with severe pain $3,210 more than those with "
            "moderate pain (2010 dollars). Nationally, pain cost $261-300 billion of extra health care and "
            "$299-335 billion of lost productivity (days of work missed, hours lost, lower wages) among about 100 "
            "million adults with pain, a group that includes joint pain and arthritis. The model takes the per-person "
            "health-care increments as they are and divides the national productivity losses by the number of "
            "adults with pain."
        ),
        kind="paper",
    ),
    Source(
        key="Greenberg et al. 2023",
        aliases=(),
        reference=(
            "Greenberg P, Chitnis A, Louie D, et al. The economic burden of adults with major depressive disorder in "
            "the United States (2019). Advances in Therapy 2023;40(10):4460-4479."
        ),
        reports=(
            "A prevalence-based human-capital estimate for the 19.8 million US adults with major depressive "
            "disorder in 2019: an incremental societal burden of $333.7 billion (2019 dollars), of which health "
            "care $127.3 billion, presenteeism $43.3 billion and absenteeism $38.4 billion, the rest household and "
            "suicide-related costs. It updates the 2010 and 2018 estimates of the same group (PharmacoEconomics "
            "2021). The model divides the three components by the number of adults with MDD."
        ),
        kind="paper",
    ),
    Source(
        key="Kessler et al. 2011",
        aliases=(),
        reference=(
            "Kessler RC, Berglund PA, Coulouvrat C, et al. Insomnia and the performance of US workers: results from "
            "the America Insomnia Survey. Sleep 2011;34(9):1161-1171."
        ),
        reports=(
            "In 7,428 employed US adults surveyed in 2008-2009, 23.2% had insomnia, which went with lower work "
            "performance at work (presenteeism) but not significantly with days absent. Net of 26 comorbid "
            "conditions the loss was 7.8 days of work performance a year per worker with insomnia, valued at $2,280 "
            "by the human-capital method. The model's insomnia presenteeism cost starts from that value."
        ),
        kind="paper",
    ),
    Source(
        key="Kessler et al. 1998",
        aliases=(),
        reference=(
            "Kessler RC, Andrews G, Mroczek D, Ustun B, Wittchen HU. The World Health Organization Composite "
            "International Diagnostic Interview short-form (CIDI-SF). International Journal of Methods in "
            "Psychiatric Research 1998;7(4):171-185."
        ),
        reports=(
            "Builds short screening scales (a few questions each) from the full diagnostic interview in the US "
            "National Comorbidity Survey. The scales classify 77-100% of the full interview's cases and 94-99% of "
            "its non-cases correctly, depending on the disorder; major depression is the least accurate (93% "
            "overall). MIDUS measured depression with this short form, so the model reads MIDUS's depression "
            "through a screen with about these sensitivity and specificity."
        ),
        kind="paper",
    ),
    Source(
        key="Kleinman et al. 2009",
        aliases=(),
        reference=(
            "Kleinman NL, Brook RA, Doan JF, Melkonian AK, Baran RW. Health benefit costs and absenteeism due to "
            "insomnia from the employer's perspective: a retrospective, case-control, database study. Journal of "
            "Clinical Psychiatry 2009;70(8):1098-1104."
        ),
        reports=(
            "Among about 299,000 US employees (2001-2007), those with diagnosed or drug-treated insomnia cost "
            "employers $2,053 a year more than controls, after adjusting for demographics, job and comorbidity: "
            "medical $751, drugs $735, sick leave $208, short-term disability $179, long-term disability $10 and "
            "workers' compensation $170; they missed 3.1 more workdays. The model takes the medical and drug "
            "increments as insomnia's health-care cost and the absence items as its absenteeism."
        ),
        kind="paper",
    ),
    Source(
        key="Neumann et al. 2014",
        aliases=(),
        reference=(
            "Neumann PJ, Cohen JT, Weinstein MC. Updating cost-effectiveness: the curious resilience of the "
            "$50,000-per-QALY threshold. New England Journal of Medicine 2014;371(9):796-797."
        ),
        reports=(
            "Argues that the $50,000-per-QALY benchmark long used in the United States has no firm basis and is "
            "too low, and suggests reporting results at $50,000, $100,000 and $150,000 per QALY. These are the "
            "model's default willingness-to-pay thresholds."
        ),
        kind="paper",
    ),
    Source(
        key="Sanders et al. 2016",
        aliases=("Second Panel on Cost-Effectiveness",),
        reference=(
            "Sanders GD, Neumann PJ, Basu A, et al. Recommendations for conduct, methodological practices, and "
            "reporting of cost-effectiveness analyses: second panel on cost-effectiveness in health and medicine. "
            "JAMA 2016;316(10):1093-1103."
        ),
        reports=(
            "The US Second Panel's recommendations: report every analysis from both a health-care sector and a "
            "societal perspective, discount costs and health effects at 3% a year, and use a lifetime horizon where "
            "effects last. The model's default discount rates and its two perspectives follow them."
        ),
        kind="paper",
    ),
    Source(
        key="Busse et al. 2018",
        aliases=(),
        reference=(
            "Busse JW, Wang L, Kamaleldin M, et al. Opioids for chronic noncancer pain: a systematic review and "
            "meta-analysis. JAMA 2018;320(23):2448-2460."
        ),
        reports=(
            "Across 96 randomised trials (26,169 patients), opioids reduced pain against placebo by only 0.69 cm on "
            "a 10 cm scale (95% CI 0.56-0.82), improved physical function slightly and made vomiting commoner. The "
            "opioid virtual trial targets the -0.69/10 difference."
        ),
        kind="paper",
    ),
    Source(
        key="CDC NHIS physical activity",
        aliases=("CDC NHIS",),
        reference=(
            "Centers for Disease Control and Prevention, National Center for Health Statistics. National Health "
            "Interview Survey estimates of adults meeting the federal aerobic physical activity guideline, 2018-2020."
        ),
        reports=(
            "Estimates the share of US adults who meet the aerobic part of the federal Physical Activity Guidelines "
            "(at least 150 minutes a week of moderate activity, or the vigorous equivalent). The model rounds it to "
            "one half of adults exercising regularly."
        ),
        kind="data",
    ),
    Source(
        key="Cherkin et al. 2016",
        aliases=(),
        reference=(
            "Cherkin DC, Sherman KJ, Balderson BH, Cook AJ, Anderson ML, Hawkes RJ, Hansen KE, Turner JA. Effect of "
            "mindfulness-based stress reduction vs cognitive behavioral therapy or usual care on back pain and "
            "functional limitations in adults with chronic low back pain: a randomized clinical trial. JAMA "
            "2016;315(12):1240-1249."
        ),
        reports=(
            "Randomised 342 adults aged 20-70 with chronic low back pain to eight weekly two-hour groups of MBSR or "
            "CBT, or to usual care. At 26 weeks 60.5% of the MBSR arm against 44% of usual care had a clinically "
            "meaningful (30% or more) improvement in function on the modified Roland Disability Questionnaire, and "
            "59 of 116 (51%) had attended at least 6 of the 8 classes. The MBSR virtual trial targets these rates, "
            "measured on pain because the model has no function scale."
        ),
        kind="paper",
    ),
    Source(
        key="Cornelius et al. 2023",
        aliases=(),
        reference=(
            "Cornelius ME, Loretan CG, Jamal A, Davis Lynn BC, Mayer M, Alcantara IC, Neff L. Tobacco product use "
            "among adults - United States, 2021. MMWR Morbidity and Mortality Weekly Report 2023;72(18):475-483."
        ),
        reports=(
            "From the 2021 National Health Interview Survey, 18.7% of US adults used a tobacco product and 11.5% "
            "smoked cigarettes. The model's smoking prevalence, 0.115, is the cigarette figure."
        ),
        kind="report",
    ),
    Source(
        key="Currie & Wang 2004",
        aliases=(),
        reference=(
            "Currie SR, Wang J. Chronic back pain and major depression in the general Canadian population. Pain "
            "2004;107(1-2):54-60."
        ),
        reports=(
            "Among 118,533 respondents to the Canadian Community Health Survey, major depression affected 19.8% of "
            "people with chronic back pain against 5.9% of the pain-free, rising with pain severity; the two "
            "together disabled more than either alone. Calibration targets for depression with and without chronic "
            "pain."
        ),
        kind="paper",
    ),
    Source(
        key="Dahlhamer et al. 2018",
        aliases=("Dahlhamer 2018",),
        reference=(
            "Dahlhamer J, Lucas J, Zelaya C, Nahin R, Mackey S, DeBar L, Kerns R, Von Korff M, Porter L, Helmick C. "
            "Prevalence of chronic pain and high-impact chronic pain among adults - United States, 2016. MMWR "
            "Morbidity and Mortality Weekly Report 2018;67(36):1001-1006."
        ),
        reports=(
            "From the 2016 National Health Interview Survey, 20.4% of US adults (50.0 million) had chronic pain, "
            "pain on most days or every day, and 8.0% (19.6 million) high-impact chronic pain that limited life or "
            "work on most days. Both were commoner among women, older adults, adults living in poverty and rural "
            "residents. The headline calibration targets, and the direction of the model's sex, age and income "
            "gradients in pain."
        ),
        kind="report",
    ),
    Source(
        key="DSM-5",
        aliases=("American Psychiatric Association 2013",),
        reference=(
            "American Psychiatric Association. Diagnostic and Statistical Manual of Mental Disorders, Fifth Edition "
            "(DSM-5). Arlington, VA: American Psychiatric Publishing; 2013."
        ),
        reports=(
            "Defines a major depressive episode as at least two weeks of depressed mood or lost interest with "
            "further symptoms, and insomnia disorder as trouble sleeping on at least three nights a week for at "
            "least three months, with daytime impairment. The model judges episodes and insomnia over these windows."
        ),
        kind="classification",
    ),
    Source(
        key="Elliott et al. 2002",
        aliases=(),
        reference=(
            "Elliott AM, Smith BH, Hannaford PC, Smith WC, Chambers WA. The course of chronic pain in the community: "
            "results of a 4-year follow-up study. Pain 2002;99(1-2):299-307."
        ),
        reports=(
            "Followed 2,184 people in Grampian, Scotland, from 1996 to 2000: chronic pain (all the time or on and off "
            "for 3 months or more) rose from 45.5% to 53.8%, 79% of those who had it still had it four years later, "
            "the average annual incidence was 8.3% and the annual recovery rate 5.4%. The incidence is a calibration "
            "target; the low recovery rate supports slow chronic-pain dynamics."
        ),
        kind="paper",
    ),
    Source(
        key="Ferreira et al. 2021",
        aliases=(),
        reference=(
            "Ferreira GE, McLachlan AJ, Lin CC, Zadro JR, Abdel-Shaheed C, O'Keeffe M, Maher CG. Efficacy and safety "
            "of antidepressants for the treatment of back pain and osteoarthritis: systematic review and "
            "meta-analysis. BMJ 2021;372:m4825."
        ),
        reports=(
            "Across 33 placebo-controlled trials (5,318 participants), SNRIs reduced back pain by 5.3 points on a "
            "0-100 scale (95% CI 3.3-7.3) at 3-13 weeks, moderate-certainty evidence of a small effect. The "
            "duloxetine virtual trial targets this difference."
        ),
        kind="paper",
    ),
    Source(
        key="Finan et al. 2013",
        aliases=(),
        reference=(
            "Finan PH, Goodin BR, Smith MT. The association of sleep and pain: an update and a path forward. Journal "
            "of Pain 2013;14(12):1539-1552."
        ),
        reports=(
            "Reviews prospective and experimental studies from 2005 on: impaired sleep reliably predicts new and "
            "worsening chronic pain, and in day-to-day studies sleep predicts pain more strongly and reliably than "
            "pain predicts sleep; sleep loss may impair the body's own pain inhibition. Grounds the asymmetry of "
            "the model, whose sleep -> pain edge is stronger than pain -> sleep."
        ),
        kind="paper",
    ),
    Source(
        key="Hardeveld et al. 2010",
        aliases=(),
        reference=(
            "Hardeveld F, et al. Prevalence and predictors of recurrence of major depressive disorder in the adult "
            "population. Acta Psychiatrica Scandinavica 2010;122(3):184-191."
        ),
        reports=(
            "A systematic review: recurrence of major depressive disorder is high in specialised mental-health care "
            "(60% after 5 years, 67% after 10, 85% after 15) and lower in the general population (35% after 15 "
            "years); the number of earlier episodes and residual symptoms predict it best, while sex, marital and "
            "socioeconomic status seem unrelated. Supports recurrence that depends on the history of episodes."
        ),
        kind="paper",
    ),
    Source(
        key="Hardeveld et al. 2013",
        aliases=(),
        reference=(
            "Hardeveld F, Spijker J, De Graaf R, Nolen WA, Beekman ATF. Recurrence of major depressive disorder and "
            "its predictors in the general population: results from the Netherlands Mental Health Survey and "
            "Incidence Study (NEMESIS). Psychological Medicine 2013;43(1):39-48."
        ),
        reports=(
            "Among 687 Dutch adults who had recovered from major depression, the estimated cumulative recurrence was "
            "13.2% after 5 years, 23.2% after 10 and 42.0% after 20; younger age, more earlier episodes, a severe "
            "last episode, adverse experiences in youth and ongoing difficulties brought recurrence sooner. The "
            "long-run recurrence a general-population model should show."
        ),
        kind="paper",
    ),
    Source(
        key="Hasin et al. 2018",
        aliases=(),
        reference=(
            "Hasin DS, Sarvet AL, Meyers JL, Saha TD, Ruan WJ, Stohl M, Grant BF. Epidemiology of adult DSM-5 major "
            "depressive disorder and its specifiers in the United States. JAMA Psychiatry 2018;75(4):336-346."
        ),
        reports=(
            "In 36,309 US adults interviewed in 2012-2013 (NESARC-III), the 12-month and lifetime prevalence of "
            "DSM-5 major depressive disorder were 10.4% and 20.6%. The odds of 12-month depression were half as "
            "high in men (OR 0.5), higher in younger adults (OR 3.0 at ages 18-29) and higher at low income "
            "(OR 1.7). Sets the 12-month depression target and the direction of the model's sex, age and income "
            "gradients in mood."
        ),
        kind="paper",
    ),
    Source(
        key="Hayden et al. 2021",
        aliases=(),
        reference="Hayden JA, et al. Exercise therapy for chronic low back pain. Cochrane Database of Systematic "
        "Reviews 2021, CD009790.",
        reports=(
            "Reviews 249 trials of exercise for chronic non-specific low back pain, with pain rescaled to 0-100 and "
            "15 points taken as a clinically important difference. Against no treatment, usual care or placebo, "
            "exercise probably reduces pain by about 15 points at the earliest follow-up (around 3 months), the "
            "difference the exercise virtual trial targets."
        ),
        kind="paper",
    ),
    Source(
        key="Husereau et al. 2022",
        aliases=("CHEERS 2022",),
        reference=(
            "Husereau D, Drummond M, Augustovski F, et al. Consolidated Health Economic Evaluation Reporting "
            "Standards 2022 (CHEERS 2022) statement: updated reporting guidance for health economic evaluations. "
            "BMJ 2022;376:e067975 (published in several journals at once)."
        ),
        reports=(
            "A 28-item checklist for reporting health economic evaluations, replacing the 2013 CHEERS statement. "
            "The model's economic outputs (costs by perspective, discounting, incremental analysis, probabilistic "
            "sensitivity analysis) are meant to be reportable against it; it supplies no parameter values."
        ),
        kind="paper",
    ),
    Source(
        key="Jank et al. 2017",
        aliases=(),
        reference=(
            "Jank R, et al. Chronic pain and sleep disorders in primary care. Pain Research and Treatment "
            "2017;2017:9081802."
        ),
        reports=(
            "Of 570 patients in Austrian primary care, 33.2% had chronic pain (6 months or more); among them 45.5% "
            "had a sleep disorder and 26.5% clinical insomnia (Insomnia Severity Index 15 or more). The model's "
            "target for insomnia among people with chronic pain uses the 26.5%."
        ),
        kind="paper",
    ),
    Source(
        key="Jansson-Fröjmark & Linton 2008",
        aliases=("Jansson-Frojmark & Linton 2008",),
        reference=(
            "Jansson-Fröjmark M, Linton SJ. The course of insomnia over one year: a longitudinal study in the general "
            "population in Sweden. Sleep 2008;31(6):881-886."
        ),
        reports=(
            "In 1,746 Swedish adults aged 20-60 surveyed a year apart, with insomnia defined as trouble sleeping on "
            "at least 3 nights a week for the past 3 months plus daytime problems, prevalence was 6.8-9.7%; insomnia "
            "persisted over the year in 44.4% of those who had it and remitted in the rest, and 2.8% of the others "
            "developed it. A hold-out check on the model's yearly persistence and onset of insomnia disorder."
        ),
        kind="paper",
    ),
    Source(
        key="Karasek 1979",
        aliases=("Karasek",),
        reference=(
            "Karasek RA. Job demands, job decision latitude, and mental strain: implications for job redesign. "
            "Administrative Science Quarterly 1979;24(2):285-308."
        ),
        reports=(
            "Introduces the job demand-control model: strain arises where high psychological demands meet little "
            "decision latitude, and high-strain jobs go with exhaustion and depression. The model's job-strain "
            "trait follows this idea; the share of workers in high strain (about a fifth) is the project's "
            "assumption, not a number taken from the paper."
        ),
        kind="paper",
    ),
    Source(
        key="Kocalevent et al. 2013",
        aliases=(),
        reference=(
            "Kocalevent RD, Hinz A, Brähler E. Standardization of the depression screener Patient Health "
            "Questionnaire (PHQ-9) in the general population. General Hospital Psychiatry 2013;35(5):551-555."
        ),
        reports=(
            "Gives PHQ-9 norms from 5,018 people in German household surveys (2003-2008): mean scores of about 3 "
            "(3.1 in women, 2.7 in men), with 5.6% in the moderate to severe range. Anchors the model's low mean "
            "PHQ-9 outside episodes."
        ),
        kind="paper",
    ),
    Source(
        key="Kroenke et al. 2001",
        aliases=(),
        reference=(
            "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. "
            "Journal of General Internal Medicine 2001;16(9):606-613."
        ),
        reports=(
            "Validates the nine-item PHQ-9 (0-27, each item scored 0-3): a score of 10 or more detects major "
            "depression with 88% sensitivity and 88% specificity, and scores of 5, 10, 15 and 20 mark mild, "
            "moderate, moderately severe and severe depression. The model maps mood to the PHQ-9 and uses these "
            "bands for episodes and utilities."
        ),
        kind="paper",
    ),
    Source(
        key="Langley et al. 2011",
        aliases=(),
        reference=(
            "Langley PC and co-authors' 2011 analyses of the National Health and Wellness Survey on pain and "
            "health-related quality of life, e.g. Langley PC, et al. The prevalence, correlates and treatment of "
            "pain in Spain. Journal of Medical Economics 2011;14:367-380."
        ),
        reports=(
            "Survey analyses in which health-related quality of life and health utilities fall as pain grows more "
            "severe and more frequent, severe daily pain carrying the largest deficits. The model's utility "
            "decrements by pain band are assumptions of that size; these analyses report SF-12 based (SF-6D) "
            "utilities, not EQ-5D."
        ),
        kind="paper",
    ),
    Source(
        key="LeBlanc et al. 2009",
        aliases=(),
        reference=(
            "LeBlanc M, Mérette C, Savard J, Ivers H, Baillargeon L, Morin CM. Incidence and risk factors of "
            "insomnia in a population-based sample. Sleep 2009;32(8):1027-1037."
        ),
        reports=(
            "Following 464 good sleepers from a Canadian population sample for a year, 30.7% developed insomnia "
            "symptoms and 7.4% an insomnia syndrome (28.8% and 3.9% among those with no earlier episode); an "
            "earlier episode, family history, high arousability, poorer general health and more bodily pain "
            "predicted a new syndrome. Gives the yearly onset of insomnia, and pain as one of its risk factors."
        ),
        kind="paper",
    ),
    Source(
        key="Morin et al. 2009",
        aliases=(),
        reference=(
            "Morin CM, Bélanger L, LeBlanc M, Ivers H, Savard J, Espie CA, Mérette C, Baillargeon L, Grégoire JP. "
            "The natural history of insomnia: a population-based 3-year longitudinal study. Archives of Internal "
            "Medicine 2009;169(5):447-453."
        ),
        reports=(
            "Of 388 adults with insomnia followed yearly for three years, 74% still had it after one year and 46% "
            "throughout; an insomnia syndrome persisted more often than symptoms alone (66.1% against 37.2%), 46% "
            "of those with the syndrome at the start still had it a year later, and 26.7% of those who remitted "
            "relapsed. Supports a slow, persistent and relapsing course of insomnia."
        ),
        kind="paper",
    ),
    Source(
        key="Morin et al. 2011",
        aliases=(),
        reference=(
            "Morin CM, Belleville G, Bélanger L, Ivers H. The Insomnia Severity Index: psychometric indicators to "
            "detect insomnia cases and evaluate treatment response. Sleep 2011;34(5):601-608."
        ),
        reports=(
            "Validates the seven-item Insomnia Severity Index (0-28, each item 0-4) in a community and a clinical "
            "sample: a cut-off of 10 detected insomnia in the community (86.1% sensitivity, 87.7% specificity) and "
            "a fall of about 8 points marked moderate improvement after treatment. The model maps sleep to the ISI "
            "and uses the index's usual severity bands (8-14 subthreshold, 15-21 moderate, 22-28 severe)."
        ),
        kind="paper",
    ),
    Source(
        key="Ohayon 2002",
        aliases=(),
        reference=(
            "Ohayon MM. Epidemiology of insomnia: what we know and what we still need to learn. Sleep Medicine "
            "Reviews 2002;6(2):97-111."
        ),
        reports=(
            "Reviews over 50 population studies: about a third of adults report at least one insomnia symptom, 9-15% "
            "symptoms with daytime consequences and about 6% a DSM-IV insomnia diagnosis; every definition is "
            "commoner in women, symptoms increase with age, and insomnia goes with major depression, its "
            "persistence heralding new depressive episodes. Sets the insomnia-disorder target (the project uses a "
            "6-10% band) and the direction of the model's sex and age gradients in sleep."
        ),
        kind="paper",
    ),
    Source(
        key="Patten 1997",
        aliases=(),
        reference=(
            "Patten SB. Performance of the Composite International Diagnostic Interview Short Form for major "
            "depression in community and clinical samples. Chronic Diseases in Canada 1997;18(3):109-112."
        ),
        reports=(
            "Compares the short form's 12-month major depression in a Canadian population survey with the full "
            "interview's in an Ontario survey: the short form gives a prevalence about 50% higher. In 122 "
            "psychiatric in-patients it was highly sensitive (98%) but not very specific (73%); false positives "
            "often had medical illness, substance use or dysthymia. Sets the size of the short form's "
            "overestimate that the model's specificity for MIDUS reproduces."
        ),
        kind="paper",
    ),
    Source(
        key="Pillai et al. 2016",
        aliases=(),
        reference=(
            "Pillai V, Roth T, Drake CL. Towards quantitative cutoffs for insomnia: how current diagnostic criteria "
            "mischaracterize remission. Sleep Medicine 2016;26:62-68."
        ),
        reports=(
            "Followed 649 adults with DSM-5 insomnia for a year: 271 no longer met the criteria, so about 58% still "
            "did, and two thirds of the remitters still reported 31 minutes or more of sleep-onset latency or "
            "waking after sleep onset. A hold-out check on the model's yearly persistence of insomnia disorder."
        ),
        kind="paper",
    ),
    Source(
        key="Selvanathan et al. 2021",
        aliases=(),
        reference=(
            "Selvanathan J, Pham C, Nagappa M, Peng PWH, Englesakis M, Espie CA, Morin CM, Chung F. Cognitive "
            "behavioral therapy for insomnia in patients with chronic pain - a systematic review and meta-analysis "
            "of randomized controlled trials. Sleep Medicine Reviews 2021;60:101460."
        ),
        reports=(
            "Pools 12 randomised trials (762 patients) of CBT-I in people with insomnia and chronic non-cancer pain: "
            "after treatment the standardised mean differences were 0.89 for sleep, 0.20 for pain and 0.44 for "
            "depressive symptoms, and a sleep effect of 0.56 remained at follow-up of up to 12 months. The CBT-I "
            "virtual trial targets the three post-treatment effects."
        ),
        kind="paper",
    ),
    Source(
        key="Skljarevski et al. 2010",
        aliases=(),
        reference=(
            "Skljarevski V, et al. Duloxetine versus placebo in patients with chronic low back pain: a 12-week, "
            "fixed-dose, randomized, double-blind trial. Journal of Pain 2010;11(12):1282-1290."
        ),
        reports=(
            "Randomised 401 adults with chronic low back pain to duloxetine 60 mg a day or placebo for 12 weeks: "
            "duloxetine reduced average pain more, and 15.2% against 5.4% stopped because of adverse events, the "
            "side-effect dropout of the duloxetine virtual trial. In this trial the 30% responder rate improved "
            "only numerically; the responder rates the virtual trial targets are the pooled ones of Alev et al. "
            "2017."
        ),
        kind="paper",
    ),
    Source(
        key="Spijker et al. 2002",
        aliases=(),
        reference=(
            "Spijker J, de Graaf R, Bijl RV, Beekman ATF, Ormel J, Nolen WA. Duration of major depressive episodes "
            "in the general population: results from The Netherlands Mental Health Survey and Incidence Study "
            "(NEMESIS). British Journal of Psychiatry 2002;181:208-213."
        ),
        reports=(
            "Among new episodes of major depression in the Dutch general population, the median duration was 3 "
            "months: 50% had recovered within 3 months, 63% within 6, 76% within 12, and nearly 20% had not "
            "recovered after 24 months; severity and comorbid dysthymia predicted persistence. Sets the model's "
            "episode duration and its chronic tail."
        ),
        kind="paper",
    ),
    Source(
        key="Stierman et al. 2021",
        aliases=(),
        reference=(
            "Stierman B, Afful J, Carroll MD, et al. National Health and Nutrition Examination Survey 2017-March "
            "2020 prepandemic data files: development of files and prevalence estimates for selected health "
            "outcomes. National Health Statistics Reports no. 158. Hyattsville, MD: National Center for Health "
            "Statistics; 2021."
        ),
        reports=(
            "Combines NHANES 2017-2018 with the interrupted 2019-March 2020 cycle into nationally representative "
            "files and estimates selected outcomes from them, among them obesity (BMI 30 or more) in US adults. "
            "The model's obesity share, 0.419, is taken from this report."
        ),
        kind="report",
    ),
    Source(
        key="Tang et al. 2007",
        aliases=(),
        reference=(
            "Tang NKY, Wright KJ, Salkovskis PM. Prevalence and correlates of clinical insomnia co-occurring with "
            "chronic back pain. Journal of Sleep Research 2007."
        ),
        reports=(
            "Among 70 chronic back pain patients of a specialist pain clinic and 70 matched pain-free controls, 53% "
            "of patients against 3% of controls scored in the clinical insomnia range (Insomnia Severity Index 15 "
            "or more); insomnia was worse with more intense and more distressing pain, anxiety, depression and "
            "health anxiety. The specialist-clinic end of the insomnia-with-chronic-pain comparison."
        ),
        kind="paper",
    ),
    Source(
        key="Arias & Xu 2022",
        aliases=("United States Life Tables, 2019",),
        reference=(
            "Arias E, Xu JQ. United States life tables, 2019. National Vital Statistics Reports vol 70 no 19. "
            "Hyattsville, MD: National Center for Health Statistics; 2022. doi:10.15620/cdc:113096."
        ),
        reports=(
            "The complete period life tables of the US population in 2019 (total, by sex, by race and Hispanic "
            "origin). Expectation of life was 78.8 years at birth, 36.3 at 45 and 19.6 at 65. The model fits a "
            "Gompertz-Makeham mortality law to the total population's expectations of life at ages 18 to 95 "
            "(Table 1; largest error 0.27 years) for its background mortality (`simulation.demography`)."
        ),
        kind="data",
    ),
    Source(
        key="Xu et al. 2020",
        aliases=("NCHS Data Brief 395",),
        reference=(
            "Xu JQ, Murphy SL, Kochanek KD, Arias E. Mortality in the United States, 2019. NCHS Data Brief no 395. "
            "Hyattsville, MD: National Center for Health Statistics; 2020."
        ),
        reports=(
            "US deaths in 2019: the age-adjusted death rate was 846.7 per 100,000 for men and 602.7 for women, a "
            "ratio of 1.40. The model splits its both-sexes mortality law by that ratio (the same at every age, "
            "an assumption)."
        ),
        kind="report",
    ),
    Source(
        key="Cuijpers et al. 2014",
        aliases=(),
        reference=(
            "Cuijpers P, Vogelzangs N, Twisk J, Kleiboer A, Li J, Penninx BW. Comprehensive meta-analysis of excess "
            "mortality in depression in the general community versus patients with specific illnesses. American "
            "Journal of Psychiatry 2014;171(4):453-462."
        ),
        reports=(
            "Across 293 prospective studies, depression went with a pooled relative risk of death of 1.64 (95% CI "
            "1.56-1.73), similar in community samples and in patients with specific illnesses, and smaller in "
            "studies of higher quality. The model multiplies the death hazard of people with 12-month depression "
            "by it."
        ),
        kind="paper",
    ),
    Source(
        key="Walker et al. 2015",
        aliases=("Walker, McGee & Druss 2015",),
        reference=(
            "Walker ER, McGee RE, Druss BG. Mortality in mental disorders and global disease burden implications: "
            "a systematic review and meta-analysis. JAMA Psychiatry 2015;72(4):334-341."
        ),
        reports=(
            "Pooled over 203 studies, people with mental disorders (all diagnoses together) died at 2.22 times the "
            "rate of the general population (95% CI 2.12-2.33), a median of 10 years of life lost. The model uses "
            "it only as the upper bound of the excess mortality of depression."
        ),
        kind="paper",
    ),
    Source(
        key="Larney et al. 2020",
        aliases=(),
        reference=(
            "Larney S, Peacock A, Mathers BM, Hickman M, Degenhardt L. All-cause and cause-specific mortality among "
            "people using extramedical opioids: a systematic review and meta-analysis. JAMA Psychiatry "
            "2020;77(5):493-502."
        ),
        reports=(
            "Across cohorts of people using extramedical opioids (mostly heroin and opioid agonist treatment "
            "samples), the pooled crude all-cause mortality rate was 1.6 per 100 person-years, and the pooled "
            "standardised mortality ratio 10.0 (95% CI 7.6-13.2). The model applies it to people whose opioid "
            "dependence reaches the addiction level; that they die like those cohorts is an assumption and "
            "likely overstates deaths from prescribed opioids."
        ),
        kind="paper",
    ),
    Source(
        key="US Census 2020",
        aliases=("US Census Bureau, 2020 Census", "2020 Census", "US Census Bureau"),
        reference="U.S. Census Bureau. 2020 Census: age and sex of the adult population of the United States.",
        reports=(
            "The count of the US population by age and sex. The model draws adults' ages from the 2020 shares by "
            "age band (rounded) and takes the share of women among adults, 0.513, from it."
        ),
        kind="data",
    ),
    Source(
        key="Vickers et al. 2018",
        aliases=(),
        reference=(
            "Vickers AJ, Vertosick EA, Lewith G, MacPherson H, Foster NE, Sherman KJ, Irnich D, Witt CM, Linde K; "
            "Acupuncture Trialists' Collaboration. Acupuncture for chronic pain: update of an individual patient "
            "data meta-analysis. Journal of Pain 2018;19(5):455-474."
        ),
        reports=(
            "With individual data on 20,827 patients from 39 trials, acupuncture beat no-acupuncture controls by "
            "about 0.5 standard deviations and sham acupuncture by about 0.2, for musculoskeletal pain, "
            "osteoarthritis, chronic headache and shoulder pain; about 15% of the effect was lost by 12 months. "
            "The acupuncture virtual trial targets both numbers."
        ),
        kind="paper",
    ),
    Source(
        key="Vowles et al. 2015",
        aliases=(),
        reference=(
            "Vowles KE, McEntee ML, Julnes PS, Frohe T, Ney JP, van der Goes DN. Rates of opioid misuse, abuse, and "
            "addiction in chronic pain: a systematic review and data synthesis. Pain 2015;156(4):569-576."
        ),
        reports=(
            "Across 38 studies of people with chronic pain taking opioids, misuse averaged 21-29% and addiction "
            "8-12%, with very wide variation between studies. The model's opioid dependence parameters are "
            "calibrated to these rates."
        ),
        kind="paper",
    ),
    Source(
        key="Williams et al. 2012",
        aliases=(),
        reference=(
            "Williams ACdeC, Eccleston C, Morley S. Psychological therapies for the management of chronic pain "
            "(excluding headache) in adults. Cochrane Database of Systematic Reviews 2012;(11):CD007407."
        ),
        reports=(
            "Across 35 trials (4,788 participants), CBT against treatment as usual or waiting list had small effects "
            "right after treatment: standardised mean differences of 0.21 for pain, 0.26 for disability, 0.38 for "
            "mood and 0.53 for catastrophising; six months or more later only a small effect on mood (0.26) "
            "remained. The CBT virtual trial targets the post-treatment pain and mood effects and the fading of the "
            "pain effect."
        ),
        kind="paper",
    ),
    Source(
        key="Zou 2004",
        aliases=(),
        reference=(
            "Zou G. A modified Poisson regression approach to prospective studies with binary data. American "
            "Journal of Epidemiology 2004;159(7):702-706."
        ),
        reports=(
            "Shows that Poisson regression with robust (sandwich) standard errors estimates relative risks directly "
            "from binary outcomes in prospective studies, where odds ratios would overstate the risk ratio of a "
            "common outcome. The virtual cohort study uses it for adjusted prevalence and risk ratios."
        ),
        kind="paper",
    ),
)

# --- resolving citations ---------------------------------------------------------------------------

_SEEDS = {s.key[-3:]: s for s in SOURCES if s.kind == "source document"}

# "seed 003", "seeds 000-003", "seed 000, 002", "seed 004, seed 001", "seeds 001 and 003"
_SEED_LIST = re.compile(
    r"\bseeds?\s+\d{3}(?!\d)(?:\s*(?:,|and|&|/|-|–|to)\s*(?:seeds?\s+)?\d{3}(?!\d))*",
    re.IGNORECASE,
)
_SEED_ITEM = re.compile(r"(\d{3})(?:\s*(?:-|–|to)\s*(?:seeds?\s+)?(\d{3}))?", re.IGNORECASE)

# Author-year citations: "Name et al. 2019", "Name & Name 2004", "Name and Name 2004", "Name 2002".
_PARTICLE = r"(?:(?:van|von|de|der|den|da|di|du|del|la|le|ten|ter)\s+)*"
_NAME = _PARTICLE + r"[A-Z][A-Za-zÀ-ÿ'’\-]*[a-zà-ÿ]"
_AUTHOR_YEAR = re.compile(
    rf"(?<![\w-])(?P<first>{_NAME})"
    rf"(?P<rest>\s+et\s+al\b\.?,?|\s*(?:&|and)\s+(?P<second>{_NAME}),?)?"
    r"(?P<comma>,)?\s+\(?(?P<year>(?:19|20)\d{2})[a-z]?\)?(?![\w-])"
)
# Capitalised words that precede a year without naming an author (months, prepositions, journal words).
_NOT_A_NAME_WORDS = """
January February March April May June July August September October November December Spring Summer
Autumn Fall Winter In By From Since Until Before After During About Around Through Between And Of To
For Year Years Wave Round Version Table Figure Age Ages Aged Census Survey Report Reports Review
Reviews Journal Health Bureau Pain Sleep Med Medicine Rev Res Research Psychiatry Psychol Lancet Spine
Cochrane Disease Disorders Neuroscience Science Sciences Statistics Standards Economics Quarterly
"""
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split())


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a whole phrase, tolerant of spacing, "et al" punctuation, "&"/"and"
    and a parenthesised year."""
    parts = []
    for token in phrase.split():
        if token.lower() in ("al.", "al"):
            parts.append(r"al\.?,?")
        elif token == "&":
            parts.append(r"(?:&|and)")
        elif re.fullmatch(r"(?:19|20)\d{2}", token):
            if parts:
                parts[-1] += ",?"
            parts.append(rf"\(?{token}\)?")
        else:
            parts.append(re.escape(token))
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])", re.IGNORECASE)


_PHRASES: tuple[tuple[re.Pattern[str], Source], ...] = tuple(
    (_phrase_pattern(phrase), source)
    for source in SOURCES
    for phrase in source.phrases
    if source.kind != "source document" or phrase != source.key
)


def _normal(citation: str) -> str:
    text = citation.lower().replace("&", " and ").replace("(", " ").replace(")", " ")
    text = re.sub(r"\bet\s+al\b\.?,?", "et al", text)
    return " ".join(text.replace(",", " ").split())


_KNOWN = frozenset(_normal(phrase) for source in SOURCES for phrase in source.phrases)


def _seed_numbers(match: str) -> list[str]:
    """The three-digit seed numbers a "seed ..." list names, ranges expanded."""
    numbers: list[str] = []
    for item in _SEED_ITEM.finditer(match):
        first, last = item.group(1), item.group(2)
        if last is None:
            numbers.append(first)
        else:
            lo, hi = sorted((int(first), int(last)))
            numbers.extend(f"{n:03d}" for n in range(lo, hi + 1))
    return numbers


def _author_year_citations(text: str) -> list[re.Match[str]]:
    found = []
    for match in _AUTHOR_YEAR.finditer(text):
        names = [match.group("first"), match.group("second")]
        if any(name and name.split()[-1] in _NOT_A_NAME for name in names):
            continue
        before = text[: match.start()]
        if match.group("rest") is None:
            if re.search(r"[A-Z][\w.'’-]*\s+(?:(?:of|in|on|and|the|for)\s+)*$", before):
                continue  # "Medicine 2009", "Burden of Disease 2015": a title or an institution, not an author
            if match.group("comma") and not before.endswith("("):
                continue  # "Bureau, 2020": only "(Name, 2002)" reads as a citation
        found.append(match)
    return found


def cited(text: str) -> list[Source]:
    """The documented sources a free-text source string names, in order of first mention.

    Keys and aliases match as whole phrases, case-insensitively; seeds may be named in lists and
    ranges (``seed 000, 002``, ``seeds 000-003``).

    Examples:
        >>> [s.key for s in cited("seed 002 (sleep loss); seeds 000-001; Dahlhamer 2018, MMWR")]
        ['seed 002', 'seed 000', 'seed 001', 'Dahlhamer et al. 2018']
        >>> [s.key for s in cited("assumption (no decrement from the cycle)")]
        []
    """
    hits: list[tuple[int, Source]] = []
    for match in _SEED_LIST.finditer(text):
        hits += [(match.start(), _SEEDS[n]) for n in _seed_numbers(match.group(0)) if n in _SEEDS]
    for pattern, source in _PHRASES:
        match = pattern.search(text)
        if match:
            hits.append((match.start(), source))
    ordered: dict[str, Source] = {}
    for _, source in sorted(hits, key=lambda hit: hit[0]):
        ordered.setdefault(source.key, source)
    return list(ordered.values())


def undocumented(text: str) -> list[str]:
    """Citation-like phrases in `text` that name no documented source.

    Looks for author-year citations ("Name et al. 2019", "Name & Name 2004", "Name 2002") and
    seed numbers ("seed 007"); everything else in a source string is free text.

    Examples:
        >>> undocumented("Currie & Wang 2004, Pain; seed 003 (HPA axis)")
        []
        >>> undocumented("Smith et al. 2019 (made up); seeds 004-006")
        ['Smith et al. 2019', 'seed 005', 'seed 006']
    """
    missing: list[str] = []
    for match in _author_year_citations(text):
        phrase = match.group(0).strip("(),")
        if _normal(phrase) not in _KNOWN:
            missing.append(phrase)
    for match in _SEED_LIST.finditer(text):
        missing += [f"seed {n}" for n in _seed_numbers(match.group(0)) if n not in _SEEDS]
    return list(dict.fromkeys(missing))


# --- the generated document ------------------------------------------------------------------------

_PREFACE = """\
The project rests on five source documents, cited as seed 000 to seed 004: web pages that describe
the cycle of chronic pain, depression and poor sleep (a pain clinic's blog post, a research-summary
page of the MIDUS study, a general health article, an acupuncture clinic's patient page and a
medical news article). They name the mechanisms and give a few numbers, but they are not
peer-reviewed. The papers, reports and data below supply the population numbers, course of illness
and trial results that the seeds lack.

Every parameter declares a source and a basis. *Cited* means the value is the source's own number
(perhaps rounded, or converted to the model's units); *calibrated* means it was fitted to targets
that cite these sources; *assumption* means a modelling choice, and the source then says what it
leans on. A source string may name several sources ("seed 004, seed 001", "seeds 000-003"); a test
checks that every citation in every source string of `simulation/`, `trials/`, `scenarios/` and
`simulation/data/targets.yaml` resolves to an entry here."""


def _entry(source: Source) -> str:
    lines = [f"### {source.key}", "", f"**Reference.** {source.reference}", "", f"**Reports.** {source.reports}"]
    extra = f"*Kind:* {source.kind}."
    if source.aliases:
        extra += " *Also cited as:* " + ", ".join(source.aliases) + "."
    return "\n".join([*lines, "", extra])


def sources_markdown() -> str:
    """docs/sources.md: the bibliography with a short preface."""
    seeds = [s for s in SOURCES if s.kind == "source document"]
    others = sorted((s for s in SOURCES if s.kind != "source document"), key=lambda s: s.key.lower())
    parts = [
        "# Sources",
        "Generated by `python -m simulation.sources > docs/sources.md` from `simulation/sources.py`; do not edit "
        "by hand.",
        _PREFACE,
        "## Source documents",
        *(_entry(s) for s in seeds),
        "## Papers and reports",
        *(_entry(s) for s in others),
    ]
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    print(sources_markdown(), end="")
