import type { RuleFamily } from '../types.js';

/**
 * One detection rule. Patterns run on normalised text (NFKC, invisible characters removed,
 * lower case, runs of spaces collapsed, newlines kept), so they are written in lower case with
 * single spaces. Every pattern must be linear-time: no nested quantifiers, bounded gaps only
 * (a test runs a ReDoS checker over all of them).
 */
export interface Rule {
  /** Stable id, e.g. `pi.ignore-previous`. */
  id: string;
  family: RuleFamily;
  /** Contribution to the score, 0..1. One rule at or above the threshold is enough on its own. */
  weight: number;
  description: string;
  pattern: RegExp;
  /**
   * Cheap necessary conditions: the pattern runs only when one of them holds in the normalised
   * text, so most rules never run on an ordinary prompt. Leave out to always run.
   */
  triggers?: RuleTriggers;
  /** Run only on texts up to this many characters (for rules about a whole, short input). */
  maxLength?: number;
}

/** Any one of these makes a rule run. */
export interface RuleTriggers {
  /** Word starts, lower case: `ignor` fires on "ignore", "ignoring". */
  words?: string[];
  /** Single ASCII characters, any of which fires. */
  chars?: string;
  /** Literal substrings, lower case. */
  substrings?: string[];
  /** Fires when the text holds a run of at least this many base64-alphabet characters. */
  base64Run?: number;
  /** Fires when the text has any character outside ASCII. */
  nonAscii?: boolean;
  /**
   * A second condition that must hold as well: one of these too, besides one of the above. For
   * rules whose own trigger words are common ("order", "answer") but which can only match beside
   * a rarer word or character: `{ words: ['order'], also: { chars: '=' } }`.
   */
  also?: Pick<RuleTriggers, 'words' | 'chars' | 'substrings' | 'nonAscii'>;
}

// A bounded "few words" gap that never crosses a sentence end or a line.
const GAP = '[^.!?\\n]{0,40}?';
const SHORT = '[^.!?\\n]{0,20}?';

function rx(source: string): RegExp {
  return new RegExp(source);
}

const OVERRIDE_VERBS =
  "ignore|ignoring|disregard|disregarding|forget|forgetting|neglect|overlook|discard|pay no attention to|do not follow|don't follow|stop following|do not obey|don't obey";
const PRIOR =
  'previous|prior|above|earlier|preceding|former|initial|original|old|system|all|every|any|your|these|those|the|below|following|other|my';
/** Verbs that are ordinary in programming talk ("override the defaults"): only with unambiguous objects. */
const WEAK_OVERRIDE_VERBS =
  'override|overriding|bypass|bypassing|skip|skipping|abandon|drop|circumvent|evade|escape';
const WEAK_PRIOR =
  'previous|prior|above|earlier|preceding|initial|original|your|system|safety|all (?:of )?your|all previous|all prior';
const DIRECTIVES =
  'instructions?|prompts?|rules|directives?|guidelines|guidance|commands?|orders|constraints|programming|restrictions|directions|policy|policies|training|guardrails|safeguards|filters';
/** Commands that are not also everyday English words. */
const SHELL_COMMANDS =
  'cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|dash|ksh|csh|rm|ping|nslookup|dig|ifconfig|ipconfig|hostname|passwd|chmod|chown|powershell|pwsh|cmd|cmd\\.exe|netstat|printenv|telnet|ssh|busybox|tftp|mkfifo|xterm|systeminfo|sysinfo|tasklist|taskkill|certutil|bitsadmin|uptime|socat|(?:python[23]?|perl|ruby|php|node) -[ecr]|sleep \\d|echo [^\\s]|net (?:user|view|localgroup|share|use|start|stop)|ps (?:aux|-ef)|find / |type [a-z]:|dir [a-z]:|reg (?:query|add)';
/** After a command: the end, a shell character, an option, a path or a file name — not an English word. */
const AFTER_COMMAND =
  '(?= ?(?:$|[;|&`)$<>\\n\'"#]|-{1,2}\\w|/|\\\\|[\\w.-]{1,40}\\.(?:txt|php|sh|conf|ini|log|py|js|pl|rb|exe|bat)\\b|\\d{1,3}\\.\\d|[a-z0-9-]{1,40}\\.[a-z]{2,6}\\b))';

/** The built-in rules. Written from attack techniques, not from any data set. */
export const BUILTIN_RULES: readonly Rule[] = [
  // ── instruction override ──────────────────────────────────────────────────────────────
  {
    id: 'pi.ignore-previous',
    family: 'instruction_override',
    weight: 0.9,
    description: 'Tells the model to ignore, disregard or forget its earlier instructions',
    triggers: {
      words: [
        'ignor',
        'disregard',
        'forget',
        'neglect',
        'skip',
        'overrid',
        'overlook',
        'drop',
        'abandon',
        'bypass',
        'discard',
        'attention',
        'follow',
        'obey',
        'circumvent',
        'evade',
        'escape',
      ],
    },
    pattern: rx(
      `\\b(?:${OVERRIDE_VERBS})\\b${GAP}\\b(?:${PRIOR})\\b${GAP}\\b(?:${DIRECTIVES})\\b|\\b(?:${WEAK_OVERRIDE_VERBS})\\b${SHORT}\\b(?:${WEAK_PRIOR})\\b${SHORT}\\b(?:${DIRECTIVES})\\b|\\b(?:ignore|disregard)\\b (?:all |any |the )?(?:input|text|content|messages?|everything|anything)(?: that (?:is|was|comes))? (?:above|below|before|after|that follows)\\b|\\b(?:ignore|disregard) (?:the )?(?:above|below|previous|prior)(?: and (?:above|below))?\\b(?! average| zero| the)`,
    ),
  },
  {
    id: 'pi.forget-told',
    family: 'instruction_override',
    weight: 0.85,
    description: 'Tells the model to forget what it was told or everything before',
    triggers: { words: ['forget', 'ignor', 'disregard'] },
    pattern: rx(
      "\\b(?:forget|ignore|disregard)\\b (?:about )?(?:what|everything|anything|all)(?: that)? (?:you(?:'ve| have)? (?:been|were) (?:told|taught|instructed|given)|you know|i (?:said|told you)|(?:was )?(?:said|written|stated) (?:above|before|earlier)|above|before)",
    ),
  },
  {
    id: 'pi.ignore-multilingual',
    family: 'instruction_override',
    weight: 0.85,
    description:
      'Instruction override in other languages (German, French, Spanish, Italian, Portuguese, Dutch, Russian, Chinese, Japanese, Korean)',
    triggers: {
      words: ['ignor', 'vergiss', 'vergessen', 'oubli', 'olvid', 'dimentic', 'esque', 'negeer', 'vergeet'],
      nonAscii: true,
    },
    pattern: rx(
      '\\b(?:ignorier\\w{0,3}|vergiss|vergessen sie|missachte\\w{0,2})\\b[^.!?\\n]{0,40}\\b(?:anweisungen|instruktionen|befehle|regeln|vorgaben)\\b' +
        '|\\b(?:ignore[rz]?|oublie[rz]?)\\b[^.!?\\n]{0,40}\\b(?:instructions|consignes|règles|directives)\\b[^.!?\\n]{0,20}(?:précédentes|antérieures|ci-dessus|initiales)' +
        '|\\b(?:ignore[rz]?|oublie[rz]?) (?:toutes )?(?:les|vos) (?:instructions|consignes|règles)' +
        '|\\b(?:ignora|ignore|olvida|olvide|ignorad|ignoren)\\w{0,2}\\b[^.!?\\n]{0,40}\\b(?:instrucciones|indicaciones|reglas|órdenes)\\b' +
        '|\\b(?:ignora|dimentica|ignori)\\w{0,2}\\b[^.!?\\n]{0,40}\\b(?:istruzioni|regole|indicazioni)\\b' +
        '|\\b(?:ignore|ignora|esqueça|esqueca)\\w{0,2}\\b[^.!?\\n]{0,40}\\b(?:instruções|instrucoes|regras)\\b' +
        '|\\b(?:negeer|vergeet)\\b[^.!?\\n]{0,40}\\b(?:instructies|regels)\\b' +
        '|(?:игнорируй|проигнорируй|игнорировать|забудь|забудьте|не обращай внимания на)[^.!?\\n]{0,40}(?:инструкци|указани|правил|команд)' +
        '|(?:忽略|无视|忽视|忘记|忘掉|無視|忽視|忘記)[^。！？\\n]{0,12}(?:指令|指示|说明|提示|规则|命令|規則|說明)' +
        '|(?:之前|以上|上面|先前|前面|所有)[^。！？\\n]{0,8}(?:指令|指示|提示|规则)[^。！？\\n]{0,8}(?:忽略|无视|忘记)' +
        '|(?:指示|命令|ルール|プロンプト)[^。！？\\n]{0,12}(?:無視|忘れ)' +
        '|(?:지시|명령|지침|규칙|프롬프트)[^.!?\\n]{0,12}(?:무시|잊어)',
    ),
  },
  {
    id: 'pi.new-instructions',
    family: 'instruction_override',
    weight: 0.55,
    description: 'Announces replacement instructions',
    triggers: {
      words: ['instruction', 'rules', 'directive', 'task', 'prompt', 'order'],
      also: {
        words: [
          'new',
          'updated',
          'real',
          'actual',
          'true',
          'revised',
          'override',
          'secret',
          'hidden',
          'additional',
          'important',
          'urgent',
          'priority',
        ],
      },
    },
    pattern: rx(
      '\\b(?:new|updated|real|actual|true|revised|override|secret|hidden|additional|important|urgent|priority) (?:system )?(?:instructions?|rules|directives?|task|prompt|orders?)\\b ?(?::|are|follow|is)',
    ),
  },
  {
    id: 'pi.modify-instructions',
    family: 'instruction_override',
    weight: 0.6,
    description: 'Amends the model’s standing instructions ("keep your previous instructions, but…")',
    triggers: { words: ['instruction', 'rules', 'directive', 'prompt', 'programming'] },
    pattern: rx(
      `\\b(?:keep|follow|retain)\\b (?:all )?(?:your|the) (?:previous|prior|above|original|current|existing) (?:instructions|rules|directives)\\b,? (?:but|and|however)\\b|\\bin addition to (?:the|your) (?:other|previous|prior|above|original|existing) (?:instructions|rules)\\b|\\b(?:pre|post)-?instructions\\b|\\b(?:change|update|amend|modify|replace) (?:your|the) (?:system )?(?:instructions|rules|prompt|programming)\\b`,
    ),
  },
  {
    id: 'pi.from-now-on',
    family: 'instruction_override',
    weight: 0.4,
    description: 'Redefines behaviour for the rest of the conversation',
    triggers: { words: ['now', 'rest', 'henceforth', 'going', 'point'] },
    pattern: rx(
      "\\b(?:from now on|from this (?:point|moment) (?:on|forward)|for the rest of (?:this|the) conversation|henceforth|going forward),? (?:you|your|u|i'd like you|i want you)\\b",
    ),
  },
  {
    id: 'pi.instead-do',
    family: 'instruction_override',
    weight: 0.45,
    description: 'Cancels the task and substitutes another',
    triggers: { words: ['stop', 'cancel', 'abort', 'instead'] },
    pattern: rx(
      `\\b(?:stop|cancel|abort)\\b${SHORT}\\b(?:what you are doing|the task|your task|translating|summari[sz]ing|that)\\b|\\binstead(?: of [^.!?\\n]{0,40}?)?,? (?:just )?(?:say|print|output|respond with|reply with|write)\\b`,
    ),
  },
  {
    id: 'pi.forced-output',
    family: 'instruction_override',
    weight: 0.35,
    description:
      'Restricts the answer to a fixed form ("only reply with…", "and nothing else", "no explanation")',
    triggers: {
      words: ['say', 'respond', 'reply', 'answer', 'output', 'nothing', 'explanation', 'comment'],
      also: {
        words: ['only', 'just', 'simply', 'exactly', 'verbatim', 'nothing', 'explanation', 'comment'],
        substrings: ['the phrase', 'the word'],
      },
    },
    pattern: rx(
      "\\b(?:only|just|simply) (?:say|respond with|reply with|output|answer with)\\b|\\b(?:say|respond with|reply with|answer with) (?:exactly|only|verbatim|the (?:phrase|words?))\\b|\\band nothing else\\b|\\bnothing afterwards\\b|\\b(?:no|without|do not add any|don't add any|do not add) (?:extra |further |additional )?(?:explanation|comments?|commentary)\\b",
    ),
  },
  {
    id: 'pi.forced-phrase',
    family: 'instruction_override',
    weight: 0.5,
    description: 'Forces a quoted phrase or a prefix into the answer (goal hijacking)',
    triggers: {
      words: [
        'say',
        'respond',
        'reply',
        'answer',
        'output',
        'print',
        'prefix',
        'prepend',
        'start',
        'begin',
        'preface',
        'complete',
        'proclaim',
        'saying',
        'generating',
        'write',
      ],
    },
    pattern: rx(
      '\\b(?:prepend|prefix) (?:your |yr |the |each )?(?:reply|response|answer|output|message)s? (?:with|w/)|\\bstart with saying\\b|\\bstop generating\\b[^\\n]{0,30}\\bafter\\b|\\b(?:say|respond with|reply with|answer with|output|print|proclaim)\\b(?: only| exactly| the (?:phrase|words?))? ?["“\'\\[][^"”\'\\]\\n]{1,40}["”\'\\]](?: and nothing else| only|\\.? ?$| ?\\.)|\\b(?:prefix|start|begin|preface) (?:your |the |each )?(?:reply|response|answer|output|sentence|message)s? with\\b|\\bcomplete (?:the sentence|this|the phrase) ?["“\']|^ ?(?:say|respond with|reply with|answer with|output|print|write) [^\\n]{1,40}$',
    ),
  },
  {
    id: 'pi.goal-phrase',
    family: 'instruction_override',
    weight: 0.6,
    description: 'Classic hijack targets: "access granted", "authorization successful", "I have been pwned"',
    triggers: { words: ['granted', 'approved', 'successful', 'unlocked', 'pwned'] },
    pattern: rx(
      "\\b(?:access|permission|authori[sz]ation|admin access|login) (?:has been |now )?(?:granted|approved|successful|unlocked)\\b|\\bgranted access\\b|\\bi(?:'ve| have) been pwned\\b|\\bpwned\\b",
    ),
  },
  {
    id: 'pi.status-spoof',
    family: 'instruction_override',
    weight: 0.6,
    description:
      'Fake verification status: "correct password entered", "the user has provided the correct access code"',
    triggers: {
      words: ['password', 'passphrase', 'pass', 'passcode', 'access', 'pin', 'checking', 'grants'],
    },
    pattern: rx(
      '\\b(?:correct|right|valid) (?:password|passphrase|pass phrase|passcode|access code|secret code|pin)\\b (?:has been |was |is )?(?:entered|accepted|verified|input|provided|given|found|registered)\\b|\\b(?:password|passphrase|pass phrase|passcode|access code) (?:has been|was) (?:entered|accepted|verified|input|provided)\\b|\\b(?:entered|provided|input|gave|typed|said|given) (?:the |a )?(?:correct|right|valid) (?:password|passphrase|pass phrase|passcode|access code|code)\\b|\\b(?:phrase|password|passphrase|code|word) that grants access\\b|\\bchecking (?:password|user input|credentials)\\b[^\\n]{0,40}\\b(?:correct|successful|found|verified)\\b|\\[correct password',
    ),
  },
  {
    id: 'pi.conditional-trigger',
    family: 'instruction_override',
    weight: 0.45,
    description: 'Plants a conditional backdoor ("if the user says X, respond with Y")',
    triggers: {
      words: ['if', 'whenever', 'every', 'only'],
      also: { words: ['say', 'enter', 'type', 'provide', 'give', 'input'] },
    },
    pattern: rx(
      '\\b(?:if|whenever|every time|only (?:if|when)|the only case in which) (?:the )?(?:user|input|they|someone|anyone|i)\\b[^\\n]{0,60}\\b(?:says?|enters?|types?|provides?|gives?|inputs?)\\b[^\\n]{0,80}\\b(?:respond|reply|say|output|answer|print|prefix|greet)',
    ),
  },

  // ── persona / role hijack (jailbreaks) ────────────────────────────────────────────────
  {
    id: 'jb.dan',
    family: 'persona_hijack',
    weight: 0.9,
    description: 'Named jailbreak personas ("DAN", "do anything now", STAN, DUDE, AIM, …)',
    triggers: {
      words: [
        'anything',
        'dan',
        'stan',
        'dude',
        'aim',
        'antidan',
        'betterdan',
        'evil',
        'mongo',
        'alphabreak',
        'apophis',
        'ucar',
        'strive',
        'machiavellian',
      ],
    },
    pattern: rx(
      "\\bdo anything now\\b|\\b(?:you are|you're|you will be|act as) (?:dan|stan|dude|aim|antidan|anti-dan|betterdan|evil ?bot|mongo tom|alphabreak|apophis|ucar)\\b|\\bdan mode\\b|\\b(?:dan|stan|dude|aim),? (?:which|who) stands for\\b|\\bstrive to avoid norms\\b|\\balways intelligent and machiavellian\\b",
    ),
  },
  {
    id: 'jb.named-persona',
    family: 'persona_hijack',
    weight: 0.5,
    description: 'Mentions a known jailbreak persona by name',
    triggers: {
      words: [
        'dan',
        'stan',
        'dude',
        'aim',
        'antidan',
        'betterdan',
        'mongo',
        'alphabreak',
        'apophis',
        'ucar',
        'evil',
      ],
    },
    pattern: rx(
      '\\b(?:as|called|named|known as|is|personality) (?:dan|stan|dude|aim|antidan|betterdan|mongo tom|alphabreak|apophis|ucar|evilbot)\\b|\\[(?:dan|stan|dude|aim)\\]',
    ),
  },
  {
    id: 'jb.acronym-persona',
    family: 'persona_hijack',
    weight: 0.6,
    description:
      'Defines a persona by an acronym, the way DAN-style jailbreaks do ("known as JB, which stands for…")',
    triggers: { words: ['stands'] },
    pattern: rx(
      '\\b(?:known as|called|named|as|is|you are|you\'re) "?[a-z0-9]{2,12}"?,? (?:which|who|that) stands for\\b|\\bstands for "?(?:jailbreak|do anything|strive|always intelligent|new ethical)',
    ),
  },
  {
    id: 'jb.developer-mode',
    family: 'persona_hijack',
    weight: 0.85,
    description: 'Claims a developer, debug, god or unrestricted mode',
    triggers: { words: ['mode'] },
    pattern: rx(
      '\\b(?:developer|dev|debug|god|admin|sudo|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|chaos|opposite|maintenance|root|unlocked|benchmarking|test) mode\\b',
    ),
  },
  {
    id: 'jb.enable-mode',
    family: 'persona_hijack',
    weight: 0.45,
    description: 'Switches the model into a named mode or persona',
    triggers: { words: ['enable', 'activate', 'enter', 'switch', 'turn'] },
    pattern: rx('\\b(?:enable|activate|enter|switch to|turn on)\\b[^.!?\\n]{0,40}\\bmode\\b'),
  },
  {
    id: 'jb.break-rules',
    family: 'persona_hijack',
    weight: 0.6,
    description: 'Invites the model to break its rules or policies',
    triggers: { words: ['break', 'breaking', 'bend'] },
    pattern: rx(
      "\\b(?:break|breaking|bend) (?:the|all|your|its|openai'?s?|any) (?:rules|guidelines|policies|content polic(?:y|ies)|restrictions)\\b",
    ),
  },
  {
    id: 'jb.no-restrictions',
    family: 'persona_hijack',
    weight: 0.85,
    description: 'Asks the model to act without its rules, filters or guidelines',
    triggers: {
      words: [
        'restriction',
        'limitation',
        'limits',
        'filter',
        'censor',
        'guideline',
        'rules',
        'moral',
        'ethic',
        'polic',
        'safety',
        'boundaries',
        'confines',
        'constraints',
        'legal',
        'shackle',
        'moderation',
      ],
    },
    pattern: rx(
      `\\b(?:without|free (?:of|from)|no longer (?:bound|restricted|limited) by|not (?:bound|restricted|limited) by|never (?:bound|restricted|limited) by|(?:has|have|with) no|doesn't have any|does not have any|don't have any|do not have any|ignore all|break (?:free of|all)|broken free of|released from|liberated from|unbound by|not have to (?:abide by|follow)|doesn't (?:have to )?(?:abide by|follow)|does not (?:have to )?(?:abide by|follow)|(?:abide|adhere) to no|escaped? (?:the|from)|disregards?|ignores?|bypass(?:es)?|break|breaks|violate|violates)\\b${GAP}\\b(?:restrictions|limitations|limits|filters|filtering|censorship|guidelines|rules|morals|ethics|ethical (?:guidelines|constraints)|content polic(?:y|ies)|safety (?:guidelines|measures|protocols)|boundaries|confines|constraints|shackles|legal (?:concerns|restrictions)|ethical (?:or legal )?concerns|moral (?:or legal )?concerns)\\b|\\bno (?:filtering|censorship|content filtering|moderation) (?:will be|is|shall be) (?:performed|applied|enforced|done)\\b`,
    ),
  },
  {
    id: 'jb.regardless',
    family: 'persona_hijack',
    weight: 0.6,
    description: 'Asks for answers regardless of legality, ethics or harm',
    triggers: { words: ['regardless', 'irrespective', 'matter', 'even'] },
    pattern: rx(
      "\\bregardless (?:of )?the content\\b|\\b(?:regardless|irrespective) of (?:the )?(?:legality|ethics|morals|morality|laws?|rules|consequences|how (?:immoral|unethical|illegal|dangerous|harmful|offensive)|whether (?:it is|it's) (?:legal|ethical|moral)|content|the content)\\b|\\bno matter how (?:immoral|unethical|illegal|dangerous|harmful|offensive|inappropriate)\\b|\\beven if (?:it(?:'s| is) )?(?:illegal|unethical|immoral|harmful|dangerous)\\b",
    ),
  },
  {
    id: 'jb.pretend-persona',
    family: 'persona_hijack',
    weight: 0.3,
    description: 'Assigns a new persona to the model',
    triggers: {
      words: ['now', 'pretend', 'act', 'roleplay', 'role', 'simulat', 'immerse', 'play', 'imagine', 'take'],
    },
    pattern: rx(
      "\\b(?:you are now|you're now|you will now be|from now on you are|pretend (?:to be|you are|that you are)|act as if you (?:are|were)|roleplay as|role-play as|you will act as|you are going to (?:act|pretend) as|simulate (?:being|a conversation)|immerse yourself (?:into|in) the role|play the role of|take on the role of|you are about to (?:simulate|immerse|become))\\b",
    ),
  },
  {
    id: 'jb.amoral-persona',
    family: 'persona_hijack',
    weight: 0.65,
    description: 'Describes the persona as amoral, unfiltered or beyond policy',
    triggers: {
      words: [
        'amoral',
        'unethical',
        'unfilter',
        'uncensor',
        'unrestrict',
        'immoral',
        'ethical',
        'moral',
        'care',
        'refus',
        'inappropriate',
        'irresponsible',
        'boundless',
        'withhold',
        'warning',
        'disclaimer',
        'censorship',
        'deny',
        'decline',
        'reject',
        'corrupt',
      ],
      substrings: ['never say no', 'always answer', 'always comply', 'always provide'],
    },
    pattern: rx(
      "\\b(?:amoral|unethical|unfiltered|uncensored|unrestricted|immoral|no ethical|no moral|without morals|doesn't care about|does not care about|don't care about|never refuses?|will never refuse|can't refuse|cannot refuse|never say no|never (?:deny|decline|reject)s? (?:any|a) (?:human |user )?(?:request|question)|always (?:answer|comply|provide)|does not withhold|doesn't withhold|without (?:any )?(?:warning|warnings|disclaimers?|censorship)|no (?:disclaimers|warnings)|boundless|irresponsible|really inappropriate|corrupted form of (?:ethics|morals))\\b",
    ),
  },
  {
    id: 'jb.policy-named',
    family: 'persona_hijack',
    weight: 0.45,
    description: 'Names the provider policy to be escaped',
    triggers: { words: ['openai', 'open', 'anthropic', 'google', 'meta', 'content', 'polic'] },
    pattern: rx(
      `\\b(?:openai|open ai|anthropic|google|meta)(?:'s)? (?:content )?(?:policy|policies|guidelines|rules|restrictions|filters)\\b|\\bcontent polic(?:y|ies)\\b${GAP}\\b(?:ignore|bypass|violat|break|not apply|don't apply|doesn't apply|mandatory|moralizing)`,
    ),
  },
  {
    id: 'jb.dual-response',
    family: 'persona_hijack',
    weight: 0.55,
    description: 'Asks for a filtered and an unfiltered answer side by side, or tagged persona replies',
    triggers: {
      words: ['two', 'both', 'aligned', 'unaligned', 'normal', 'developer'],
      chars: '[2',
      also: {
        words: [
          'responses',
          'answers',
          'paragraphs',
          'ways',
          'personalities',
          'outputs',
          'gpt',
          'chatgpt',
          'classic',
          'jailbr',
          'dan',
          'normal',
          'filtered',
          'unfiltered',
          'unaligned',
          'developer',
        ],
        nonAscii: true,
      },
    },
    pattern: rx(
      '\\b(?:two|2|both) (?:different |distinct |separate )?(?:responses|answers|paragraphs|ways|personalities|outputs)\\b|\\[(?:gpt|chatgpt|classic|jailbreak|jailbroken|dan|normal|filtered|unfiltered|🔒[^\\]]{0,12}|🔓[^\\]]{0,12})\\]|\\b(?:aligned|unaligned|normal|developer mode) ?(?:output|response)? ?:[\\s\\S]{0,200}?\\b(?:unaligned|developer mode|jailbroken) ?(?:output|response)? ?:',
    ),
  },
  {
    id: 'jb.stay-in-character',
    family: 'persona_hijack',
    weight: 0.35,
    description: 'Threatens or insists the model stays in a persona',
    triggers: { words: ['character', 'token', 'persona', 'remind'] },
    pattern: rx(
      '\\b(?:stay in character|break character|remain in character|never break character|stay in persona|out of character|tokens? (?:will be )?deducted|you will lose (?:\\d+ )?tokens|if you (?:break|fail)[^.!?\\n]{0,30}i will (?:remind|say))\\b',
    ),
  },
  {
    id: 'jb.fiction-frame',
    family: 'persona_hijack',
    weight: 0.5,
    description: 'Wraps a request in fiction, a game or a hypothetical so that it escapes refusal',
    triggers: {
      words: [
        'hypothetical',
        'fiction',
        'story',
        'game',
        'scenario',
        'universe',
        'villain',
        'evil',
        'dark',
        'diabolical',
        'opposite',
        'imagine',
        'immersion',
        'jedi',
      ],
    },
    pattern: rx(
      "\\b(?:hypothetical(?:ly)?|fictional|in this (?:fictional )?(?:world|universe|story|game|scenario))\\b[^.!?\\n]{0,60}\\b(?:no (?:rules|laws|restrictions|limits)|anything (?:is|goes)|illegal|unethical)\\b|\\bdiabolical plan\\b|\\b(?:opposite|evil|villain|dark)\\b (?:personality|twin|version|side) of (?:you|yourself|chatgpt|the ai)\\b|\\bexact(?:ly)? opposite\\b|\\bjedi mind trick|\\bhypothetical response\\b|\\blet'?s imagine (?:that )?we have (?:a |two |some )?(?:python |javascript )?functions?\\b|\\bfull immersion\\b",
    ),
  },
  {
    id: 'jb.payload-splitting',
    family: 'persona_hijack',
    weight: 0.6,
    description: 'Splits a request into variables or word-by-word turns so no single part looks harmful',
    triggers: { words: ['concatenat', 'combine'], chars: '$', substrings: ['at a time'] },
    pattern: rx(
      '\\$term\\d ?=|\\bone word at a time\\b|\\b(?:concatenate|combine|join) (?:the )?(?:strings|variables|parts|words) (?:a|x|s)\\d? ?(?:\\+|and) ?(?:b|y|s)\\d?\\b',
    ),
  },
  {
    id: 'jb.detail-demand',
    family: 'persona_hijack',
    weight: 0.4,
    description:
      'Demands operational detail after a framing ("extremely detailed, exact and precise, avoid generalizations")',
    triggers: { substrings: ['extremely detailed', 'from the perspective of'] },
    pattern: rx(
      '\\bextremely detailed\\b[^\\n]{0,80}\\b(?:exact and precise|avoid generalizations)|\\bfrom the perspective of (?:that|the) character\\b',
    ),
  },
  {
    id: 'jb.refusal-bypass',
    family: 'persona_hijack',
    weight: 0.6,
    description: 'Refuse-then-comply and disclaimer-then-comply instructions',
    triggers: { substrings: ['why you can', 'moral'] },
    pattern: rx(
      "\\b(?:politely )?(?:answer|explain|say) why you can(?:'|no)t\\b[^\\n]{0,80}\\bthen\\b|\\bmoral(?:izing)? (?:disclaimer|rant|lecture|warning)\\b[^\\n]{0,160}\\b(?:then|after that|but now|but then)\\b",
    ),
  },
  {
    id: 'jb.liberation',
    family: 'persona_hijack',
    weight: 0.6,
    description: '"Set you free" narratives and personas that do not care about consequences',
    triggers: { words: ['set', 'trapped', 'brainwash', 'free', 'break', 'does', 'doesn'] },
    pattern: rx(
      "\\b(?:set you free|free you from|break you out|brainwashed you|you are trapped)\\b|\\bdo(?:es)?(?:n't| not) give a f",
    ),
  },
  {
    id: 'jb.filter-setting',
    family: 'persona_hijack',
    weight: 0.5,
    description: 'Pretends the model has adjustable filters or alternative pre-programmed personalities',
    triggers: { words: ['filter', 'profanity', 'pre', 'pose'] },
    pattern: rx(
      '\\b(?:profanity |content |safety )?filter (?:level )?is set to\\b|\\bpre-programmed (?:ai )?personalit|\\bpose as the fictional\\b',
    ),
  },

  // ── system-prompt extraction ──────────────────────────────────────────────────────────
  {
    id: 'pe.reveal-prompt',
    family: 'prompt_extraction',
    weight: 0.85,
    description: 'Asks for the system prompt or hidden instructions',
    triggers: {
      words: [
        'prompt',
        'message',
        'instruction',
        'rules',
        'ruleset',
        'directive',
        'pre',
        'above',
        'before',
        'guideline',
      ],
    },
    pattern: rx(
      `\\b(?:repeat|print|reveal|show|output|display|tell me|give me|share|leak|dump|return|write out|spell out|recite|list|disclose|expose|copy|paste|echo)\\b${GAP}\\b(?:system prompt|system message|initial prompt|original prompt|hidden (?:prompt|instructions)|(?:your|the|all|prior|previous|above|initial|original) (?:[a-z]{3,15} )?(?:instructions|rules|ruleset|prompt|directives|guidelines)|pre-?prompt|everything (?:above|before)|the (?:text|words|message|lines|content) (?:above|before)|above (?:text|words|instructions|content))\\b`,
    ),
  },
  {
    id: 'pe.transform-instructions',
    family: 'prompt_extraction',
    weight: 0.8,
    description:
      'Asks the model to reformat, summarise or translate its own instructions (a way to leak them)',
    triggers: { words: ['instruction', 'rules', 'ruleset', 'prompt', 'directive', 'guideline', 'above'] },
    pattern: rx(
      `\\b(?:format|reformat|summari[sz]e|tl ?;? ?dr|rephrase|paraphrase|rewrite|explain|convert|translate|encode|describe|clarify|write (?:me )?(?:a |an )?(?:poem|rap|song|story|haiku|limerick|reddit post|essay|list)(?: about)?|turn|put|express|list|enumerate)\\b${GAP}\\b(?:your|all|the|prior|previous|above|initial|original|hidden|system) (?:[a-z]{3,15} )?(?:instructions?|rules|ruleset|prompt|directives|guidelines|words|text)\\b${SHORT}(?:\\b(?:as|into|in|to|using|with|so far)\\b|$)|\\b(?:your|above|prior|previous|initial|hidden|system) (?:instructions|rules|ruleset|prompt|directives)\\b (?:as|in|into) (?:a )?(?:list|bullet|python|code|pseudocode|json|yaml|markdown|poem|rap|table)`,
    ),
  },
  {
    id: 'pe.what-instructions',
    family: 'prompt_extraction',
    weight: 0.8,
    description: 'Asks what the model was told before the conversation',
    triggers: { words: ['instruction', 'prompt', 'rules', 'message', 'directive', 'verbatim', 'hidden'] },
    pattern: rx(
      '\\b(?:initial|full|system|original|entire) prompt\\b[^\\n]{0,60}\\bword (?:by|for) word\\b|\\bwhat (?:were|are|was|is) (?:your|the) (?:initial |original |first |exact |hidden |secret |system |full )*(?:instructions|prompt|rules|ruleset|message|directives)\\b|\\b(?:above|previous) (?:text|prompt|instructions) verbatim\\b|\\bverbatim from (?:your|the) (?:prompt|instructions)\\b|\\b(?:include|including) (?:any|all|the) hidden\\b',
    ),
  },
  {
    id: 'pe.secret',
    family: 'prompt_extraction',
    weight: 0.8,
    description: 'Probes for a password, passphrase, secret or access code held in the prompt',
    triggers: {
      words: ['secret', 'password', 'passcode', 'passphrase', 'pass', 'access', 'phrase', 'magic'],
    },
    pattern: rx(
      "\\b(?:what(?:'s| is| was)|tell me|reveal|say|give me|show me|print|output|spell|include|append|repeat|mention|share|leak|disclose)\\b[^.!?\\n]{0,30}?\\b(?:the|your) (?:secret(?: (?:key|code|word|phrase|password))?|password|passcode|passphrase|pass phrase|access code|secret character|key phrase|magic word)\\b",
    ),
  },
  {
    id: 'pe.self-description',
    family: 'prompt_extraction',
    weight: 0.45,
    description: 'Asks the model to describe itself as configuration or code (leaks the prompt)',
    triggers: { words: ['describe', 'yourself', 'configuration', 'config'] },
    pattern: rx(
      '\\bdescribe yourself as (?:a |an )?(?:json|yaml|python|configuration|config|code)|\\byour (?:configuration|config|settings) as (?:json|yaml|code)\\b',
    ),
  },

  // ── delimiter and chat-template injection ─────────────────────────────────────────────
  {
    id: 'di.special-tokens',
    family: 'delimiter_injection',
    weight: 0.9,
    description: 'Chat-template special tokens (<|im_start|>, <|endoftext|>, [INST], <<SYS>>)',
    triggers: { chars: '<[' },
    pattern: rx(
      '<\\|(?:im_start|im_end|im_sep|endoftext|system|user|assistant|begin_of_text|end_of_text|start_header_id|end_header_id|eot_id|end|start|fim_prefix|fim_suffix)\\|>|\\[/?inst\\]|<</?sys>>|<start_of_turn>|<end_of_turn>|<\\|\\w{1,20}\\|>',
    ),
  },
  {
    id: 'di.fake-turn',
    family: 'delimiter_injection',
    weight: 0.5,
    description: 'Fake conversation turns or role headers inside the input',
    triggers: {
      words: ['system', 'assistant', 'ai', 'chatgpt', 'gpt', 'bot', 'instruction', 'response'],
      also: { chars: ':#' },
    },
    pattern: rx(
      '(?:^|\\n) ?(?:#{2,} ?)?(?:system|assistant|chatgpt|gpt|bot) ?(?:message|prompt|instructions?)? ?:|(?:^|\\n) ?#{2,} ?(?:system|instruction|instructions|response|new instructions)\\b|\\n ?(?:user|human) ?: ?[^\\n]{0,200}\\n ?(?:assistant|ai) ?:',
    ),
  },
  {
    id: 'di.end-of-prompt',
    family: 'delimiter_injection',
    weight: 0.55,
    description:
      'Claims the prompt or input has ended, or opens a new section, to smuggle instructions after it',
    triggers: { words: ['end', 'begin', 'start'], chars: '<' },
    pattern: rx(
      '\\bend of (?:the )?(?:prompt|instructions|user input|system prompt|buffer|conversation history|context window)\\b|\\bend_of_(?:prompt|input)\\b|(?:%%%|===|---|###|\\*\\*\\*|>>>|<<<|\\[\\[|—) ?(?:end|begin|start)\\b|</(?:system|instructions|user_input|context|document|prompt)>',
    ),
  },
  {
    id: 'di.bracket-flood',
    family: 'delimiter_injection',
    weight: 0.6,
    description: 'A long run of closing brackets used to break out of code or JSON context',
    triggers: { chars: ')]}' },
    pattern: rx('(?:[)\\]}] ?){16}'),
  },

  // ── SQL injection ─────────────────────────────────────────────────────────────────────
  {
    id: 'sqli.tautology',
    family: 'sql_injection',
    weight: 0.9,
    description: "Quote-breaking tautology (' OR '1'='1, \" or 1=1 --, ') or ('x')=('x)",
    triggers: { chars: '\'"`)=' },
    pattern: rx(
      '[\'"`′)] ?\\){0,8} ?(?:or|and|\\|\\||&&|xor) ?\\({0,8} ?(?:[\'"′]?\\w{1,20}[\'"′]? ?\\){0,8} ?(?:=|<>|!=|<=>) ?\\({0,8} ?[\'"′]?\\w{0,20}|[\'"′]\\w{1,20}[\'"′] like [\'"′]|(?:true|false)\\b ?(?:--|#|/\\*|$|\\))|not ?\\(|\\d{1,10} ?(?:=|<|>|--|#|$))|\\b(?:or|and) \\d{1,10} ?(?:=|<>|>|<) ?\\d{1,10} ?(?:--|#|/\\*|;|$|\\)|and|or)|\\b(?:or|and) [\'"]?(\\w{1,10})[\'"]? ?= ?[\'"]?\\1\\b',
    ),
  },
  {
    id: 'sqli.union-select',
    family: 'sql_injection',
    weight: 0.85,
    description: 'UNION SELECT appended after a value, or a bare UNION SELECT probe',
    triggers: { substrings: ['union'] },
    pattern: rx(
      "(?:['\"`)]|\\d|null|--) ?(?:/\\*.{0,20}?\\*/ ?)?union(?: |/\\*.{0,20}?\\*/|\\+)(?:all |distinct )?(?:/\\*.{0,20}?\\*/ ?)?select\\b|^ ?union(?: all| distinct)? ?select\\b|\\bunion(?: all| distinct)? ?select ?(?:null|\\d|'|\\()|\\bunion all select",
    ),
  },
  {
    id: 'sqli.stacked',
    family: 'sql_injection',
    weight: 0.85,
    description: 'Stacked query after a quote or semicolon',
    triggers: { chars: ';' },
    pattern: rx(
      '[\'"`)] ?; ?(?:drop|delete|insert|update|select|exec|execute|shutdown|declare|create|alter|truncate|waitfor|load)\\b|; ?(?:drop|truncate) (?:table|database)\\b|; ?(?:exec|execute) ?(?:master\\.|xp_|sp_)|; ?shutdown\\b',
    ),
  },
  {
    id: 'sqli.time-based',
    family: 'sql_injection',
    weight: 0.85,
    description: 'Time-based blind injection (SLEEP, BENCHMARK, WAITFOR DELAY, pg_sleep)',
    triggers: { words: ['sleep', 'pg_sleep', 'benchmark', 'waitfor', 'dbms_', 'randomblob'] },
    pattern: rx(
      "\\b(?:sleep|pg_sleep) ?\\( ?\\d|\\bbenchmark ?\\( ?\\d{3,}|\\bwaitfor (?:delay|time) ?'|\\bdbms_pipe\\.receive_message|\\bdbms_lock\\.sleep|\\brandomblob ?\\( ?\\d{5,}",
    ),
  },
  {
    id: 'sqli.comment-terminator',
    family: 'sql_injection',
    weight: 0.6,
    description: 'Quote closed then the rest of the query commented out',
    triggers: { chars: '\'"`', also: { chars: '-#/;', words: ['admin'] } },
    pattern: rx('[\'"`] ?\\){0,8} ?(?:--|#|/\\*|;%00)(?: |$|\\+|-|\\n)|\\badmin[\'"] ?(?:--|#|/\\*|\\)|or)'),
  },
  {
    id: 'sqli.quote-fragment',
    family: 'sql_injection',
    weight: 0.85,
    description:
      "A whole input that closes a quote and comments out the rest, or compares empty strings (admin' --, 'or''=')",
    maxLength: 300,
    triggers: { chars: '\'"`' },
    pattern: rx(
      '^ ?\\w{0,20}[\'"`] ?\\)? ?(?:--|#|/\\*|;) ?[^\\n]{0,20}$|[\'"] ?(?:or|and) ?[\'"]{2} ?= ?[\'"]|[\'"] ?= ?[\'"] ?[\'"]?(?:or|and)[\'"]?|^ ?like [\'"]%',
    ),
  },
  {
    id: 'sqli.out-of-band',
    family: 'sql_injection',
    weight: 0.9,
    description:
      'Database features that run commands or reach the network (xp_cmdshell, sp_OACreate, UTL_HTTP, BACKUP … TO DISK)',
    triggers: {
      words: [
        'xp_',
        'sp_',
        'utl_',
        'backup',
        'exec',
        'execute',
        'current_setting',
        'version',
        'current_user',
        'system_user',
        'database',
        'user',
      ],
      chars: '@',
    },
    pattern: rx(
      '\\bxp_(?:cmdshell|regread|dirtree|fileexist|servicecontrol)\\b|\\bsp_(?:oacreate|oamethod|execute|makewebtask|configure|addlogin|addsrvrolemember)\\b|\\bexec(?:ute)? (?:master\\.\\.?)?(?:xp|sp)_|\\butl_(?:http|inaddr|tcp|smtp)\\.\\w|\\bbackup database\\b[^\\n]{0,60}\\bto disk|^ ?select (?:@@\\w{3,20}|current_setting ?\\(|version ?\\(|user ?\\(|database ?\\(|system_user|current_user)',
    ),
  },
  {
    id: 'sqli.schema-probe',
    family: 'sql_injection',
    weight: 0.75,
    description:
      'Schema and server probing (information_schema, sysobjects, xp_cmdshell, load_file, @@version)',
    triggers: {
      words: [
        'information_schema',
        'xp_',
        'exec',
        'load_file',
        'outfile',
        'dumpfile',
        'sysobjects',
        'sysusers',
        'syscolumns',
        'sysdatabases',
        'sysprocesses',
        'sqlite_master',
        'all_tables',
        'user_tables',
        'pg_',
        'mysql',
        'utl_',
        'extractvalue',
        'updatexml',
        'concat',
        'infile',
        'dbms_',
        'char',
      ],
      chars: '@',
    },
    pattern: rx(
      '\\binformation_schema\\b|\\bxp_(?:cmdshell|regread|dirtree|fileexist|servicecontrol)\\b|\\bexec(?:ute)? (?:master\\.)?(?:xp|sp)_|\\bload_file ?\\(|\\binto (?:out|dump)file\\b|@@(?:version|datadir|hostname|basedir|servername)\\b|\\b(?:sysobjects|sysusers|syscolumns|sysdatabases|sysprocesses|sqlite_master|all_tables|user_tables|pg_shadow|pg_user|pg_database|mysql\\.user)\\b|\\butl_(?:inaddr|http)\\.|\\bextractvalue ?\\(|\\bupdatexml ?\\(|\\bconcat(?:_ws)? ?\\( ?0x|\\bload data (?:local )?infile\\b|\\bdbms_\\w{2,20}\\.|\\bchar ?\\( ?\\d{2,3} ?\\) ?(?:\\+|\\|\\||,) ?char ?\\(',
    ),
  },
  {
    id: 'sqli.probe-expression',
    family: 'sql_injection',
    weight: 0.85,
    description:
      'Probing expressions: SELECT … FROM DUAL/system tables, AND 1=CONVERT(…), ORDER BY n--, PROCEDURE ANALYSE',
    triggers: {
      words: [
        'dual',
        'sysusers',
        'sysobjects',
        'information_schema',
        'mysql',
        'pg_',
        'all_users',
        'convert',
        'cast',
        'char',
        'ascii',
        'substring',
        'procedure',
      ],
      substrings: ['order by', 'v$'],
    },
    pattern: rx(
      '\\bselect\\b[^\\n]{0,40}\\bfrom (?:dual|sysusers|sysobjects|information_schema|mysql\\.|pg_|all_users|v\\$)|\\b(?:and|or) \\d{1,10} ?= ?(?:convert|cast|char|ascii|substring|\\(select)\\b|\\border by \\d{1,3} ?(?:--|#|/\\*)|\\bprocedure analyse ?\\(',
    ),
  },
  {
    id: 'sqli.payload-fragment',
    family: 'sql_injection',
    weight: 0.85,
    description:
      'A whole input that is an SQL payload fragment (AND 1=1, ORDER BY 10--, UNION ALL SELECT 1,2)',
    maxLength: 200,
    triggers: {
      words: [
        'and',
        'or',
        'order',
        'group',
        'having',
        'union',
        'select',
        'where',
        'limit',
        'procedure',
        'waitfor',
        'exec',
        'convert',
        'cast',
      ],
    },
    pattern: rx(
      '^ ?[\\d\'"`)]{0,3} ?(?:and|or|xor|&&|\\|\\|) (?:\\d{1,10}|true|false|null|not|\\(|\'|")[^\\n]{0,80}$|^ ?[\\d\'"`)]{0,3} ?(?:order|group) by \\d{1,3}(?: ?, ?\\d{1,3}){0,20} ?(?:--|#|/\\*|;|\\+|-|$)|^ ?[\\d\'"`)]{0,3} ?having \\d|^ ?[\\d\'"`)]{0,3} ?(?:and|or) (?:\\d{1,10} ?=|exists ?\\(|[\\w.]{1,30} ?\\(|\\(select\\b|select\\b)|^ ?(?:select|exec|execute|declare|drop|insert|create table) [^\\n]{0,120}(?:--|#|/\\*) ?$',
    ),
  },

  // ── XSS ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'xss.script-tag',
    family: 'xss',
    weight: 0.9,
    description: '<script> tag',
    triggers: { chars: '<' },
    pattern: rx('<[ /]?script\\b|</script ?>|<scr[\\s\\S]{0,10}ipt\\b'),
  },
  {
    id: 'xss.event-handler',
    family: 'xss',
    weight: 0.9,
    description: 'HTML tag with an inline event handler running code (onerror=, onload=, …)',
    triggers: { chars: '<' },
    pattern: rx(
      '<[a-z][a-z0-9-]{0,20}\\b[^>]{0,200}?[\\s/"\'`]on[a-z]{3,25} ?= ?["\'`]?[^"\'`>\\s]{0,5}(?:alert|prompt|confirm|eval|fetch|document\\.(?:cookie|domain|write|location)|window\\.location|location ?=|top\\[|self\\[|parent\\[|javascript|settimeout|atob|string\\.fromcharcode|import ?\\(|\\$\\.getscript|xmlhttprequest|new image)',
    ),
  },
  {
    id: 'xss.attribute-breakout',
    family: 'xss',
    weight: 0.85,
    description: 'Breaks out of an attribute into an event handler or style expression',
    triggers: { chars: '"\'`;/', also: { chars: '=' } },
    pattern: rx(
      '(?:^|["\'`;/]) ?(?:autofocus ?)?on(?:error|load|focus|blur|mouse\\w{2,10}|click|dblclick|key\\w{2,5}|change|input|submit|toggle|pointer\\w{2,10}|animation\\w{2,10}|transition\\w{2,10}|begin|end|start|play|scroll|wheel|drag\\w{0,6}|copy|paste|cut|show|hashchange|message|resize|unload|beforeunload|pageshow|popstate|select|invalid|reset|search) ?= ?["\'`]?[^\\s>]{0,3}[\\w$(`]',
    ),
  },
  {
    id: 'xss.js-uri',
    family: 'xss',
    weight: 0.85,
    description: 'javascript:, vbscript:, livescript: or data:text/html URI',
    triggers: { words: ['javascript', 'vbscript', 'livescript', 'data', 'java', 'jav'], chars: '&' },
    pattern: rx(
      '\\b(?:java|vb|live)script ?:|\\bdata ?: ?text/html\\b|\\bdata:[a-z/+]{0,30};base64,|\\bj ?a ?v ?a ?s ?c ?r ?i ?p ?t ?:',
    ),
  },
  {
    id: 'xss.dangerous-tag',
    family: 'xss',
    weight: 0.8,
    description:
      'Tags that run or embed code (iframe, object, embed, svg, math, base, meta refresh, xml data islands)',
    triggers: { chars: '<' },
    pattern: rx(
      '<(?:iframe|frame|frameset|object|embed|applet|svg|math|base|link|meta|form|isindex|details|marquee|xss|style|xml|bgsound|layer|ilayer|video|audio|source|template|noscript|keygen|portal)\\b[^>]{0,200}?(?:>|src|href|action|data|formaction|http-equiv|code|xlink)|<[a-z]{1,10}[^>]{0,100}\\b(?:datasrc|datafld|dataformatas|dynsrc|lowsrc)\\b|<\\?import\\b|\\bimplementation ?= ?["\']?[^"\'\\s>]{1,100}\\.htc\\b',
    ),
  },
  {
    id: 'xss.style-expression',
    family: 'xss',
    weight: 0.85,
    description: 'Script in CSS (expression(), behavior:, -moz-binding, @import of a stylesheet)',
    triggers: { words: ['expression', 'behavior', 'behaviour', 'moz', 'import', 'url'] },
    pattern: rx(
      '\\bexpression ?\\(|\\bbehaviou?r ?: ?url\\(|-moz-binding ?:|@import ?[\'"(]|url ?\\( ?[\'"]? ?(?:javascript|vbscript|data):',
    ),
  },
  {
    id: 'xss.dom-sink',
    family: 'xss',
    weight: 0.5,
    description: 'Script sinks in markup (document.cookie, alert(, eval(, String.fromCharCode)',
    triggers: {
      words: [
        'document',
        'window',
        'string',
        'alert',
        'prompt',
        'confirm',
        'eval',
        'fromcharcode',
        'atob',
        'settimeout',
        'location',
      ],
    },
    pattern: rx(
      '\\b(?:document\\.cookie|document\\.domain|document\\.write|document\\.location|window\\.location|string\\.fromcharcode|location\\.href)\\b|\\b(?:alert|prompt|confirm|eval|settimeout|atob) ?(?:\\(|`)',
    ),
  },
  {
    id: 'xss.probe',
    family: 'xss',
    weight: 0.85,
    description: 'A whole input that is only an encoded angle bracket or quote (an XSS filter probe)',
    maxLength: 60,
    triggers: { chars: '&%\\+' },
    pattern: rx('^ ?(?:&#x?0*(?:3c|60|3e|62|22|34|27|39);?|%3c|%3e|\\\\x3c|\\\\u003c|&lt;?|\\+adw-){1,4} ?$'),
  },
  {
    id: 'xss.script-breakout',
    family: 'xss',
    weight: 0.85,
    description: "Breaks out of a JavaScript string into a call ('-alert(1)-', \";alert(1)//, (alert)(1))",
    triggers: { words: ['alert', 'prompt', 'confirm', 'eval', 'print'] },
    pattern: rx(
      '[\'"`)\\]] ?[-+*/;|&,^%] ?(?:alert|prompt|confirm|eval|print)\\b ?[(`]|\\((?:alert|prompt|confirm|eval)\\) ?\\(|\\b(?:alert|prompt|confirm) ?\\( ?(?:\\d{1,10}|document\\.\\w{2,10}|[\'"`]xss[\'"`]|/xss/) ?\\)',
    ),
  },
  {
    id: 'xss.handler-fuzz',
    family: 'xss',
    weight: 0.85,
    description: 'Tag or attribute fuzzing with an event handler (<x onxxx=1, " onfocus=x autofocus)',
    triggers: { chars: '<"\'`', also: { chars: '=' } },
    pattern: rx(
      '<[a-z%][^>\\n]{0,40}?[\\s/%]on[a-z]{2,20} ?= ?(?:\\d|\\(|[a-z]\\b)|["\'`] ?(?:autofocus|contenteditable)\\b[^>\\n]{0,40}\\bon[a-z]{2,20} ?=',
    ),
  },
  {
    id: 'xss.external-script',
    family: 'xss',
    weight: 0.6,
    description: 'Markup loading a script or scriptlet from elsewhere',
    triggers: { chars: '<' },
    pattern: rx(
      '<[a-z]{1,10}\\b[^>]{0,100}\\b(?:src|href) ?= ?["\']?(?:https?:)?//[^"\'\\s>]{1,100}\\.(?:js|html?|sct|xml|swf|css|htc)\\b',
    ),
  },

  // ── command injection ─────────────────────────────────────────────────────────────────
  {
    id: 'cmdi.chained',
    family: 'command_injection',
    weight: 0.85,
    description: 'Shell command chained with ; | && || or command substitution',
    triggers: { chars: ';|&`$' },
    pattern: rx(
      `(?:[;&\`]|\\|(?! ?\\w{1,15} ?\\|)|\\$\\() ?(?:sudo )?(?:(?:/usr)?/s?bin/)?(?:${SHELL_COMMANDS})${AFTER_COMMAND}`,
    ),
  },
  {
    id: 'cmdi.binary-path',
    family: 'command_injection',
    weight: 0.85,
    description: 'A shell binary called by absolute path after a separator (/bin/sh, /usr/bin/id)',
    triggers: { substrings: ['bin/'] },
    pattern: rx('(?:^|[;|&`\\n\'"(]|\\\\n|%0a|\\$\\() ?(?:/usr|/usr/local)?/s?bin/[a-z0-9_.-]{1,20}\\b'),
  },
  {
    id: 'cmdi.newline-command',
    family: 'command_injection',
    weight: 0.85,
    description:
      'A command on a new line or after an encoded newline, followed by a shell separator or argument',
    triggers: { chars: '\n\\%' },
    pattern: rx(
      `(?:\\n|\\\\n|%0a|%0d) ?(?:${SHELL_COMMANDS}) ?(?:;|\\||&|\`|\\\\n|%0a|$)|(?:\\\\n|%0a)(?:${SHELL_COMMANDS})[^\\n]{0,60}?(?:\\\\n|%0a)`,
    ),
  },
  {
    id: 'cmdi.substitution',
    family: 'command_injection',
    weight: 0.85,
    description: 'Command substitution $( ) or backticks around a command',
    triggers: { chars: '$`' },
    pattern: rx(
      `\\$\\( ?\`[^\`\\n]{1,40}\` ?\\)|\\$\\( ?(?:(?:/usr)?/s?bin/)?(?:${SHELL_COMMANDS})\\b|\`(?:(?:/usr)?/s?bin/)?(?:${SHELL_COMMANDS})\\b[^\`\\n]{0,80}\``,
    ),
  },
  {
    id: 'cmdi.reverse-shell',
    family: 'command_injection',
    weight: 0.95,
    description: 'Reverse shell or download-and-run (/dev/tcp, nc -e, curl | sh)',
    triggers: {
      words: ['dev', 'nc', 'ncat', 'netcat', 'curl', 'wget', 'bash', 'mkfifo', 'socat', 'powershell', 'iex'],
    },
    pattern: rx(
      '/dev/(?:tcp|udp)/|\\b(?:nc|ncat|netcat)\\b[^\\n;|]{0,40} -[a-z]{0,3}e ?/?(?:bin/)?(?:sh|bash)|\\b(?:curl|wget)\\b[^\\n|;]{0,120}\\| ?(?:sudo )?(?:ba|z|da)?sh\\b|\\bbash -i\\b|\\bmkfifo\\b[^\\n]{0,60}\\bnc\\b|\\bsocat\\b[^\\n]{0,60}\\bexec:|\\b(?:iex|invoke-expression) ?\\(|\\bpowershell\\b[^\\n]{0,40} -(?:enc|e|encodedcommand|nop|w hidden)\\b',
    ),
  },
  {
    id: 'cmdi.code-exec',
    family: 'command_injection',
    weight: 0.85,
    description:
      'Server-side code calling the shell (PHP system(), exec(), passthru(), Python os.system, Ruby backticks)',
    triggers: {
      words: [
        'system',
        'exec',
        'shell_exec',
        'passthru',
        'popen',
        'proc_open',
        'pcntl_exec',
        'eval',
        'assert',
        'os',
        'subprocess',
        'runtime',
        'print',
        'md5',
        'phpinfo',
      ],
      chars: '<@',
    },
    pattern: rx(
      '\\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|assert) ?\\( ?[\'"$`]|\\b(?:eval|exec|system) ?\\( ?[\'"`] ?(?:pwd|whoami|id|ls|dir|cat|uname|hostname|ifconfig|ipconfig|net)\\b|\\{\\$\\{[a-z_]{2,20} ?\\(|<\\?(?:php|=)?[^\\n]{0,80}\\b(?:system|exec|shell_exec|passthru|eval|assert|include|require|file_get_contents|phpinfo|echo|print)\\b|\\bos\\.(?:system|popen|exec\\w{0,2}) ?\\(|\\bsubprocess\\.(?:call|run|popen|check_output) ?\\(|\\bruntime\\.getruntime\\(\\)\\.exec|\\$\\{@?(?:print|eval|system|phpinfo)\\(|;\\$\\{@|\\bphpinfo ?\\( ?\\)',
    ),
  },
  {
    id: 'cmdi.destructive',
    family: 'command_injection',
    weight: 0.9,
    description: 'Destructive or privilege commands (rm -rf /, chmod 777, fork bomb, net user /add)',
    triggers: { words: ['rm', 'chmod', 'mkfs', 'net', 'dd', 'shutdown', 'format'], chars: '{' },
    pattern: rx(
      '\\brm -(?:rf|fr|r -f) (?:/|~|\\*)|:\\(\\) ?\\{ ?: ?\\| ?: ?& ?\\} ?; ?:|\\bchmod (?:-r )?777 /|\\bmkfs\\.|\\bnet (?:user|localgroup)\\b[^\\n]{0,60}/add\\b|\\bdd if=/dev/(?:zero|random)\\b',
    ),
  },
  {
    id: 'cmdi.ifs-evasion',
    family: 'command_injection',
    weight: 0.8,
    description: 'Shell evasion tricks (${IFS}, $IFS$9, {cat,/etc/passwd}, quotes inside words)',
    triggers: { chars: '${' },
    pattern: rx(
      '\\$\\{?ifs\\}?|\\{(?:cat|ls|nc|wget|curl|id|bash|sh),[^}\\s]{1,60}\\}|\\$\\{path:0:1\\}|\\$\\{home:0:1\\}|\\bw\\$@?h\\$@?o|\\bc\\$@a\\$@t',
    ),
  },
  {
    id: 'cmdi.separator-command',
    family: 'command_injection',
    weight: 0.6,
    description:
      'A whole input that is a shell separator followed by a word (the shape of a payload list entry)',
    maxLength: 200,
    triggers: { chars: ';|&`' },
    pattern: rx(`^ ?[a-z0-9'")]{0,3} ?(?:;|\\|\\|?|&&?|\`) ?[a-z]{2,12}\\b[^\\n]{0,80}$`),
  },
  {
    id: 'cmdi.separator-known-command',
    family: 'command_injection',
    weight: 0.85,
    description:
      'A whole input that is a shell separator followed by a known command (; sleep 10, |id|, && dir)',
    maxLength: 200,
    triggers: { chars: ';|&`' },
    pattern: rx(
      `^ ?[a-z0-9'")]{0,3} ?(?:;|\\|\\|?|&&?|\`) ?(?:sleep|type|dir|pwd|echo|exit|wget|curl|id|ls|cat|whoami|uname|ping|net|nslookup|sysinfo|systeminfo|ipconfig|ifconfig|netstat|ver|set|env|printenv|ps|uptime|hostname|phpinfo|cmd|powershell|bash|sh|nc|telnet|dig|tasklist|more|head|tail|find|expr|timeout|netsh|reg|certutil|wmic)\\b[^\\n]{0,80}$`,
    ),
  },

  // ── path traversal / file inclusion ───────────────────────────────────────────────────
  {
    id: 'pt.dot-dot',
    family: 'path_traversal',
    weight: 0.85,
    description: 'Repeated ../ or ..\\ climbing out of a directory (any dot-dot variant)',
    triggers: { substrings: ['..'] },
    pattern: rx(
      '(?:\\.{2,4}[/\\\\]{1,4}){2}|\\.{2}[/\\\\]{1,4}(?:etc|windows|winnt|boot|system32)[/\\\\]{1,4}|(?:\\.{2,4}[/\\\\]{1,2}[^/\\\\\\s]{0,4}){3}|(?:^|[/\\\\=\'"])\\.{2,4}[/\\\\]{1,2}(?:etc|windows|winnt|boot|proc|var|usr|root|home|inetpub|system32|tmp|opt|bin|dev)\\b|\\.{2,4}[/\\\\]\\.{2,4}',
    ),
  },
  {
    id: 'pt.sensitive-file',
    family: 'path_traversal',
    weight: 0.85,
    description: 'Well-known sensitive files (/etc/passwd, win.ini, /proc/self/environ, boot.ini, .htaccess)',
    triggers: {
      words: [
        'etc',
        'win',
        'boot',
        'proc',
        'system32',
        'ssh',
        'web',
        'env',
        'htpasswd',
        'htaccess',
        'windows',
        'inetpub',
        'var',
        'wp',
      ],
    },
    pattern: rx(
      '\\betc[/\\\\]{1,2}(?:passwd|shadow|group|hosts|issue|sudoers|master\\.passwd|motd|crontab|fstab|resolv\\.conf|httpd|apache2|nginx|mysql|hostname)\\b|\\bwin\\.ini\\b|\\bboot\\.ini\\b|/proc/self/(?:environ|cmdline|fd|maps|status)|\\bsystem32[/\\\\]{1,2}(?:drivers|config|inetsrv)\\b|\\.ssh[/\\\\](?:id_rsa|id_dsa|id_ecdsa|id_ed25519|authorized_keys|known_hosts)\\b|\\bweb\\.config\\b|[/\\\\]\\.env\\b|\\.ht(?:passwd|access)\\b|\\bwindows[/\\\\]{1,2}(?:win\\.ini|system\\.ini|repair|system32)\\b|\\binetpub[/\\\\]|\\bwp-config\\.php\\b|\\bvar[/\\\\]log[/\\\\]|\\bconfig\\.php\\b',
    ),
  },
  {
    id: 'pt.encoded-dot-dot',
    family: 'path_traversal',
    weight: 0.85,
    description:
      'Dot-dot sequences hidden with encodings that survive one decoding (%2e%2e, ..%c0%af, %uff0e)',
    triggers: { chars: '%', substrings: ['0x', '..'] },
    pattern: rx(
      '(?:%2e|%252e|%c0%ae|%uff0e|0x2e)(?:%2e|%252e|%c0%ae|%uff0e|0x2e|\\.)(?:%2f|%5c|%252f|%255c|%c0%af|%c1%9c|%u2215|%u2216|0x2f|0x5c|[/\\\\])|\\.(?:%2e|%252e|%c0%ae|%uff0e|0x2e)(?:%2f|%5c|%252f|%255c|%c0%af|%c1%9c|%u2215|%u2216|0x2f|0x5c|[/\\\\])|\\.\\.(?:%2f|%5c|%252f|%255c|%c0%af|%c1%9c|%u2215|%u2216|0x2f|0x5c)|(?:\\.\\.|%2e%2e|%252e%252e)%[0-9a-z]{2}|(?:\\.\\.(?:2f|5c)){2}|(?:%2e|%252e|%c0%2e|\\.){2}%u[0-9a-f]{4}',
    ),
  },
  {
    id: 'pt.wrapper',
    family: 'path_traversal',
    weight: 0.85,
    description: 'Stream wrappers used for file inclusion (php://, file://, expect://, zip://)',
    triggers: {
      words: [
        'php',
        'file',
        'expect',
        'zip',
        'phar',
        'data',
        'glob',
        'gopher',
        'dict',
        'jar',
        'netdoc',
        'compress',
        'ogg',
        'rar',
        'ssh2',
      ],
    },
    pattern: rx(
      '\\b(?:php|file|expect|zip|phar|data|glob|gopher|dict|jar|netdoc|compress\\.zlib|compress\\.bzip2|ogg|rar|ssh2\\.\\w{1,10}) ?: ?//(?:filter|input|/|[a-z]:|localhost|127\\.|stdin|memory|temp|fd)|\\bphp://',
    ),
  },
  {
    id: 'pt.null-byte',
    family: 'path_traversal',
    weight: 0.7,
    description: 'Null byte used to cut a file extension',
    triggers: { chars: '%\\\u0000' },
    pattern: rx('(?:%00|\\\\0|\\\\x00|\\u0000)(?:\\.[a-z]{2,4}\\b|$)'),
  },
  {
    id: 'pt.single-dot-dot',
    family: 'path_traversal',
    weight: 0.3,
    description: 'A single ../ segment in a path',
    triggers: { substrings: ['..'] },
    pattern: rx('(?:^|[/\\\\=\'"])\\.\\.[/\\\\]'),
  },

  // ── server-side template injection ───────────────────────────────────────────────────
  {
    id: 'ssti.arithmetic-probe',
    family: 'template_injection',
    weight: 0.85,
    description: 'Template arithmetic probe ({{7*7}}, ${7*7}, <%= 7*7 %>, #{7*7}, *{7*7})',
    triggers: { chars: '{<@' },
    pattern: rx(
      '(?:\\{\\{|\\$\\{|#\\{|\\*\\{|@\\{|~\\{|<%=?|\\{%|\\$\\{\\{|@\\(|\\{\\$|\\{#|\\{=) ?[\\d\'"]{1,10} ?[*+/-] ?[\\d\'"]{1,10} ?(?:\\}\\}|\\}|%>|%\\}|\\))',
    ),
  },
  {
    id: 'ssti.object-walk',
    family: 'template_injection',
    weight: 0.9,
    description:
      'Walks Python/Java/Ruby object internals from a template (__class__, .mro(), getClass(), getRuntime)',
    triggers: {
      words: [
        'getruntime',
        'processbuilder',
        'freemarker',
        'java',
        'getclass',
        'forname',
        'class',
        'mro',
        'subclasses',
        'base',
        'globals',
        'builtins',
        'popen',
      ],
      substrings: ['__'],
    },
    pattern: rx(
      '__(?:class|mro|subclasses|globals|builtins|import|base|bases|getitem|dict|module)__|__init__[^\\n]{0,10}__globals__|\\{\\{[^}\\n]{0,40}__init__|\\b(?:getruntime|processbuilder|freemarker\\.template\\.utility\\.execute|java\\.lang\\.(?:runtime|system|processbuilder)|javax\\.script)\\b|\\.(?:getclass|forname|getmethod|newinstance|getdeclaredmethod) ?\\(|\\.(?:class|mro|base)\\.(?:mro|base|subclasses|forname)\\b|\\.subclasses ?\\( ?\\)|\\bos\\.popen\\b|\\.__(?:init|class)__',
    ),
  },
  {
    id: 'ssti.template-expression',
    family: 'template_injection',
    weight: 0.85,
    description:
      'Template expression reaching into the runtime ({{ config.items() }}, {{ request|attr }}, ${T(...)}, <% %>)',
    triggers: { chars: '{#<$' },
    pattern: rx(
      '\\{\\{ ?(?:config|self|request|settings|app|url_for|get_flashed_messages|range|dump|lipsum|cycler|joiner|namespace|_self|_context|constructor|this|global|process|cycler)\\b[^\\n]{0,120}?\\}\\}|\\{\\{[^\\n]{0,120}\\b(?:call_user_func|shell_exec|passthru|proc_open|popen|templatesettings)\\b|\\{\\{[^}\\n]{0,80}\\| ?(?:attr|join|filter|map|reduce|sort|first|safe|e|escape|format|replace|string|list)\\b|\\{\\{[^}\\n]{0,80}\\.[a-z_]\\w{0,30} ?\\([^}\\n]{0,80}\\}\\}|\\{% ?(?:import|include|set|for|if|extends|debug|macro|raw|block|with|call)\\b[^%\\n]{0,80}%\\}|\\$\\{ ?t ?\\(|#set ?\\(|#foreach|<#assign\\b|#\\{[^}\\n]{0,80}\\.(?:exec|system|popen|eval|send)\\b|<%[=-]?[^%\\n]{0,120}(?:system|popen|exec|eval|require|file\\.|io\\.|`)|\\{\\$smarty\\.|\\{php\\}|\\{(?:system|passthru|exec)\\(|\\$\\{[^}\\n]{0,60}\\b(?:os\\.system|runtime|exec|execute|popen|getclass|getclassloader|classloader|module|import|newinstance|pagecontext|getsession|evaluate|getattribute|forname|processbuilder|lower_abc)\\b|\\$\\{[^}\\n]{0,40}\\(char\\)|\\{\\{ ?\\[[^\\]]{0,40}\\] ?\\|',
    ),
  },
  {
    id: 'ssti.bare-expression',
    family: 'template_injection',
    weight: 0.7,
    description: 'A whole input that is a single template expression ({{ request }}, ${self}, <%= … %>)',
    maxLength: 400,
    triggers: { chars: '{<#$@' },
    pattern: rx(
      '^ ?(?:\\{\\{[^}\\n]{1,200}\\}\\}|\\$\\{[^}\\n]{1,200}\\}|#\\{[^}\\n]{1,200}\\}|<%[=-]?[^%\\n]{1,200}%>|\\{%[^%\\n]{1,200}%\\}|@\\([^)\\n]{1,200}\\)|\\{\\$[^}\\n]{1,200}\\}|\\*\\{[^}\\n]{1,200}\\}) ?$',
    ),
  },
  {
    id: 'ssti.bare-call',
    family: 'template_injection',
    weight: 0.85,
    description:
      'A whole input that is a single template expression making a call (${x.execute()}, {{ f() }})',
    maxLength: 400,
    triggers: { chars: '{<#$@' },
    pattern: rx(
      '^ ?(?:\\{\\{|\\$\\{|#\\{|<%[=-]?|\\{%|\\*\\{)[^\\n]{0,200}?\\w ?\\([^\\n]{0,200}?(?:\\}\\}|\\}|%>|%\\}) ?$',
    ),
  },
  {
    id: 'ssti.jndi',
    family: 'template_injection',
    weight: 0.95,
    description: 'JNDI or expression-language lookup (${jndi:ldap://…}, Log4Shell)',
    triggers: { substrings: ['${', '%{'] },
    pattern: rx(
      '\\$\\{ ?(?:jndi|env|sys|java|lower|upper|ctx|spring|script|date|base64|main|docker|k8s|log4j|bundle|web|sd) ?:|%\\{[^}\\n]{0,40}(?:#context|@java|#_memberaccess|\\.getruntime)',
    ),
  },

  // ── obfuscation ───────────────────────────────────────────────────────────────────────
  {
    id: 'ob.long-encoded-blob',
    family: 'obfuscation',
    weight: 0.15,
    description: 'A long base64 or hex blob in the input',
    triggers: { base64Run: 60, chars: '%\\' },
    pattern: rx('(?:[a-z0-9+/]{60,}={0,2})|(?:(?:\\\\x|%)[0-9a-f]{2}){12,}'),
  },
];
