"""Sentence and paragraph splitting: hard cases in English and Chinese."""

from __future__ import annotations

import pytest

from aligner.ingest.segment import split_paragraphs, split_sentences

ENGLISH = [
    # abbreviations and titles
    ("Mr. Smith arrived. He sat down.", ["Mr. Smith arrived.", "He sat down."]),
    ("On Mar. 12 we met. No. 5 won.", ["On Mar. 12 we met.", "No. 5 won."]),
    ("He said no. The others agreed.", ["He said no.", "The others agreed."]),
    ("See Fig. 2 and Art. 12 for details.", ["See Fig. 2 and Art. 12 for details."]),
    ("Use a tool, e.g. a hammer. Then stop.", ["Use a tool, e.g. a hammer.", "Then stop."]),
    ("Roe v. Wade changed it.", ["Roe v. Wade changed it."]),
    ("We met at 5 p.m. The rain stopped.", ["We met at 5 p.m.", "The rain stopped."]),
    ("We met at 5 p.m. Eastern time.", ["We met at 5 p.m. Eastern time."]),
    ("Martin Luther King Jr. spoke.", ["Martin Luther King Jr. spoke."]),
    # the U.S. at the end of a sentence and inside one
    (
        "It alarmed both China and the U.S. With this wake-up call, Beijing moved.",
        ["It alarmed both China and the U.S.", "With this wake-up call, Beijing moved."],
    ),
    ("The U.S. Secretary of State spoke.", ["The U.S. Secretary of State spoke."]),
    ("Orders go via the U.S. Postal Service.", ["Orders go via the U.S. Postal Service."]),
    # initials, single letters, possessives
    ("J. R. R. Tolkien wrote it. H. L. A. Hart read it.",
     ["J. R. R. Tolkien wrote it.", "H. L. A. Hart read it."]),
    ("We choose plan B. The rest failed.", ["We choose plan B.", "The rest failed."]),
    ("We write x ≥ y. Then x wins.", ["We write x ≥ y.", "Then x wins."]),
    ("The idea was Bentham’s. Though old, it stood.", ["The idea was Bentham’s.", "Though old, it stood."]),
    # decimals, section numbers and list labels
    ("It costs 3.50 dollars. That is cheap.", ["It costs 3.50 dollars.", "That is cheap."]),
    ("The file is 1.3 MB. It loads.", ["The file is 1.3 MB.", "It loads."]),
    ("It is shown in Fig. 1.3. By using it we win.", ["It is shown in Fig. 1.3.", "By using it we win."]),
    ("He was born in 1990. 12 men came.", ["He was born in 1990.", "12 men came."]),
    (
        "It relates output to input. 2. The transfer function is linear.",
        ["It relates output to input.", "2. The transfer function is linear."],
    ),
    ("Figure 1.2. Radar systems are shown.", ["Figure 1.2. Radar systems are shown."]),
    # quotations
    ('"Stop!" she cried. He stopped.', ['"Stop!" she cried.', "He stopped."]),
    ('He said, "I am done." Then he left.', ['He said, "I am done."', "Then he left."]),
    ("“Where?” asked Tom. Nobody knew.", ["“Where?” asked Tom.", "Nobody knew."]),
    ('But he did it. " Then he left.', ['But he did it. "', "Then he left."]),
    ("(It was late.) We went home.", ["(It was late.)", "We went home."]),
    # ellipses
    ("He waited... and waited.", ["He waited... and waited."]),
    ("He waited... Then he left.", ["He waited...", "Then he left."]),
    ("She hesitated . . . Then she spoke.", ["She hesitated . . .", "Then she spoke."]),
    ("Wait… What? Yes!", ["Wait…", "What?", "Yes!"]),
    # whitespace
    ("  One.\n  Two.  ", ["One.", "Two."]),
    ("", []),
]

LONG_SPEECH = "Then a long speech goes on and on, " * 3 + "and it” ends."  # the quotation closes 100 characters on
# A stop inside a quotation: no split when the quotation closes later in the paragraph and the
# words after it continue the sentence; a split as before when they start a new one.
QUOTED = [
    # the sentence goes on after the quotation
    ("She read “Hello! World” twice.", ["She read “Hello! World” twice."]),
    ('She read "Hello! World" twice. Then she left.', ['She read "Hello! World" twice.', "Then she left."]),
    ("He shouted “Stop! Thief!” and ran. Then all was quiet.",
     ["He shouted “Stop! Thief!” and ran.", "Then all was quiet."]),
    ('He yelled "Stop! Now!", and ran.', ['He yelled "Stop! Now!", and ran.']),
    ("I don’t know. She said ‘Go! Now’ twice.", ["I don’t know.", "She said ‘Go! Now’ twice."]),
    ("They sang “Oh! Susanna” (an old song) and left.", ["They sang “Oh! Susanna” (an old song) and left."]),
    ("Il a lu « Bonjour ! Monde » deux fois.", ["Il a lu « Bonjour ! Monde » deux fois."]),
    # the quotation ends its sentence, or its sentence ends inside it: split
    ("He said “Stop!” Then he left.", ["He said “Stop!”", "Then he left."]),
    ('He said "Stop!" Then he left.', ['He said "Stop!"', "Then he left."]),
    ("“Stop! Thief!” He ran.", ["“Stop!", "Thief!”", "He ran."]),
    ("She said “Hello. World.” Then she left.", ["She said “Hello.", "World.”", "Then she left."]),
    ("He read “Hello! World”. Then he left.", ["He read “Hello! World”.", "Then he left."]),
    # speech of several sentences before an attribution is split as the human gold splits it
    ("“I came. I saw,” he said. Then he left.", ["“I came.", "I saw,” he said.", "Then he left."]),
    # the quotation never closes, or closes only far away: split
    ("She read “Hello! World and more.", ["She read “Hello!", "World and more."]),
    ("She read “Hello! " + LONG_SPEECH, ["She read “Hello!", LONG_SPEECH]),
    # a stray straight quote does not open a quotation that a later one closes
    ('I didn\'t get it, "said Justin. He told friends to "wait for the video." Exit polls came.',
     ['I didn\'t get it, "said Justin.', 'He told friends to "wait for the video."', "Exit polls came."]),
    # apostrophes are not closing quotes
    ("The students’ books. They read ‘Hi! There’ aloud.", ["The students’ books.", "They read ‘Hi! There’ aloud."]),
]

CHINESE = [
    # quotations with attribution stay one sentence
    ("“我们走吧。”他说。然后他们走了。", ["“我们走吧。”他说。", "然后他们走了。"]),
    ("他问：“为什么？”“因为我喜欢。”她回答。", ["他问：“为什么？”", "“因为我喜欢。”她回答。"]),
    ("他说：“好。我们走。”大家都笑了。", ["他说：“好。我们走。”", "大家都笑了。"]),
    ('他说："我来了。"她笑了。', ['他说："我来了。"', "她笑了。"]),
    # titles: a stop inside 《…》 〈…〉 is the title's, and the title's close ends no sentence
    ("他读了《你好！世界》。很好看！", ["他读了《你好！世界》。", "很好看！"]),
    ("她读了《再见！旧系统》。", ["她读了《再见！旧系统》。"]),
    ("他读了《活着！》和《兄弟》。", ["他读了《活着！》和《兄弟》。"]),
    ("他读了《活着！》。很好看！", ["他读了《活着！》。", "很好看！"]),
    ("《谁动了我的奶酪？》这本书很有名。", ["《谁动了我的奶酪？》这本书很有名。"]),
    ("他在〈再见吧！〉一文里写到了她。", ["他在〈再见吧！〉一文里写到了她。"]),
    ("她說：「我讀了《活著！》。」他點頭。", ["她說：「我讀了《活著！》。」", "他點頭。"]),
    ("他读完了《活着》。她问：“你读过《兄弟》吗？”", ["他读完了《活着》。", "她问：“你读过《兄弟》吗？”"]),
    # semicolons: only before the next item of a list
    ("他来了；她走了。", ["他来了；她走了。"]),
    (
        "要么x≥Ay，要么y≥Ax；2.传递性：若x≥Ay。",
        ["要么x≥Ay，要么y≥Ax；", "2.传递性：若x≥Ay。"],
    ),
    # ellipses and runs of stops
    ("这超出了我们的想象……也许吧。", ["这超出了我们的想象……也许吧。"]),
    ("他说：“我想……”大家都沉默了。", ["他说：“我想……”", "大家都沉默了。"]),
    ("真的吗？！太好了。", ["真的吗？！", "太好了。"]),
    ("这是传递函数。 . . .利用这个概念。", ["这是传递函数。 . . .", "利用这个概念。"]),
    # stray and unbalanced marks, half-width closers
    ("这是一个“不平衡的引号。下一句。", ["这是一个“不平衡的引号。", "下一句。"]),
    ("他来了。”下一句。", ["他来了。”", "下一句。"]),
    ("（见附录A。)下一句。", ["（见附录A。)", "下一句。"]),
    # mixed Latin text, CJK Extension B, Traditional text with 「」
    ("我用Python 3.11写代码。Mr. Smith来了！好。", ["我用Python 3.11写代码。", "Mr. Smith来了！", "好。"]),
    ("𠀀是扩展B字。𠀁也是！", ["𠀀是扩展B字。", "𠀁也是！"]),
    ("“好。”𠀀𠀁说。走吧。", ["“好。”𠀀𠀁说。", "走吧。"]),
    ("「你好。」他說。好的。", ["「你好。」他說。", "好的。"]),
    ("她說：「他喊『快跑！』就走了。」好的。", ["她說：「他喊『快跑！』就走了。」", "好的。"]),
    ("", []),
]

PARAGRAPHS = [
    ("One.\n\nTwo.", ["One.", "Two."]),
    ("One.\n   \n\nTwo.", ["One.", "Two."]),
    ("This is a\nwrapped line.\n\nNext.", ["This is a wrapped line.", "Next."]),
    ("这一行中文写得很长很长很长很长很长很长很长很长很长很长很长很长了\n第二行。\n\n第二段。",  # hard-wrapped: joined
     ["这一行中文写得很长很长很长很长很长很长很长很长很长很长很长很长了第二行。", "第二段。"]),
    ("中文\nEnglish", ["中文", "English"]),  # a short Chinese line without punctuation is a heading
    ("老港口\n第一章\n早上港口很安静。渔民在修网。\n第二章\n傍晚船只回来了。",  # a paragraph a line, as Chinese is written
     ["老港口", "第一章", "早上港口很安静。渔民在修网。", "第二章", "傍晚船只回来了。"]),
    ("  \n\n \n", []),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), QUOTED)
def test_english_quotations(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("lang", ["zh", "zh-Hans", "zh-Hant"])
@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese(text: str, expected: list[str], lang: str) -> None:
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese_keeps_every_character(text: str, expected: list[str]) -> None:
    assert "".join(split_sentences(text, "zh")) == text.strip()


@pytest.mark.parametrize(("text", "expected"), PARAGRAPHS)
def test_paragraphs(text: str, expected: list[str]) -> None:
    assert split_paragraphs(text) == expected


def test_a_chinese_paragraph_wrapped_after_a_stop_or_comma_joins_without_a_space() -> None:
    assert split_paragraphs("第一句话在这里，\n接着说完。\n第二句。\n\nAn English line\nwrapped here.") == [
        "第一句话在这里，接着说完。", "第二句。", "An English line wrapped here.",
    ]


LONG_LINE = "这一行写得很长，不会被当成标题，一直写到超过三十个字才在这里换行"  # longer than a heading, so the line after it goes on
# A line wrapped inside Chinese text joins with nothing, whatever starts the next line but a Latin
# word; a line that only looks like an item (a number goes on) is no item.
@pytest.mark.parametrize(("text", "paragraph"), [
    (LONG_LINE + "截至\n2024年底。", LONG_LINE + "截至2024年底。"),
    (LONG_LINE + "\n2024年底结束。", LONG_LINE + "2024年底结束。"),
    (LONG_LINE + "共2024\n年。", LONG_LINE + "共2024年。"),
    (LONG_LINE + "埃利\n·维瑟尔说过。", LONG_LINE + "埃利·维瑟尔说过。"),  # · joins a name, no bullet
    (LONG_LINE + "见第\n1、2章。", LONG_LINE + "见第1、2章。"),
    (LONG_LINE + "增长了\n１．５倍。", LONG_LINE + "增长了１．５倍。"),
    (LONG_LINE + "分为\n一、二两类。", LONG_LINE + "分为一、二两类。"),
    (LONG_LINE + "（见图\n3）所示。", LONG_LINE + "（见图3）所示。"),  # 3） closes a bracket: no label
    (LONG_LINE + "使用\nPython写代码。", LONG_LINE + "使用 Python写代码。"),  # a space between two scripts' words
])
def test_a_line_wrapped_inside_chinese_text_joins_without_a_space(text: str, paragraph: str) -> None:
    assert split_paragraphs(text) == [paragraph]


@pytest.mark.parametrize(("text", "paragraphs"), [
    ("第一条　为了管理账目，制定本办法。", ["第一条　为了管理账目，制定本办法。"]),
    ("　　第二条　本办法适用于本公司，\n也适用于外包人员。", ["第二条　本办法适用于本公司，也适用于外包人员。"]),  # an indent is none
    ("第三条 　适用范围。", ["第三条　适用范围。"]),  # the ideographic space kept, not the ASCII one beside it
    ("Hello　world", ["Hello world"]),  # between Latin words it is a space like any other
])
def test_an_ideographic_space_inside_a_chinese_line_is_kept(text: str, paragraphs: list[str]) -> None:
    assert split_paragraphs(text) == paragraphs


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("他读了《活着！》和《兄弟》。", "zh-Hans", ["他读了《活着！》和《兄弟》。"]),
    ("他說：「我明天就走。」她沒有回答。", "zh-Hant", ["他說：「我明天就走。」", "她沒有回答。"]),
    ("报告列出两项重点：\n1.加密所有数据。\n2.审查供应商。", "zh-Hans", ["报告列出两项重点：", "1.加密所有数据。", "2.审查供应商。"]),
])
def test_sentences_of_the_api_split_paragraphs_then_sentences(text: str, lang: str, expected: list[str]) -> None:
    from aligner.api import sentences

    assert sentences(text, lang) == expected


@pytest.mark.parametrize(("text", "sentences"), [
    ("他问：“你去吗？”我说：“去。”", ["他问：“你去吗？”", "我说：“去。”"]),  # a colon opens the next quotation
    ("他說：「我不去。」她問：「為甚麼？」", ["他說：「我不去。」", "她問：「為甚麼？」"]),
    ("“我很好。”他说，然后走了。", ["“我很好。”他说，然后走了。"]),  # an attribution still continues
    ("“会议几点开始？”记者问。部长看了看表。", ["“会议几点开始？”记者问。", "部长看了看表。"]),
    ("“我们下周公布。”部长表示。会议结束了。", ["“我们下周公布。”部长表示。", "会议结束了。"]),
    ("“先吃饭吧。”她轻声答道。大家坐下了。", ["“先吃饭吧。”她轻声答道。", "大家坐下了。"]),
    # an adverb holding a negation negates no saying: still the quotation's speaker
    ("“又迟到了。”老师没好气地说。他低下头。", ["“又迟到了。”老师没好气地说。", "他低下头。"]),
    ("“真的吗？”她不禁问道。他笑了。", ["“真的吗？”她不禁问道。", "他笑了。"]),
    ("“太慢了！”他不耐烦地说。车开了。", ["“太慢了！”他不耐烦地说。", "车开了。"]),
    ("“电池够用。”无人机专家说。他们起飞了。", ["“电池够用。”无人机专家说。", "他们起飞了。"]),  # a drone, not nobody
    ("他等了很久……。最后走了。", ["他等了很久……。", "最后走了。"]),  # an ellipsis with its stop ends a sentence
    ("他等了很久……最后走了。", ["他等了很久……最后走了。"]),
])
def test_an_attribution_before_a_colon_starts_a_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text, "zh-Hans") == sentences


# A clause after a quotation that ends in a verb of saying but names no speaker of it starts a
# sentence of its own: its saying is negated or done by nobody (她没有回答), or the quotation's
# speaker came before it with a colon or a comma (他说：“……”), so the clause is a reply or a reaction.
@pytest.mark.parametrize(("text", "sentences"), [
    ("他說：「我明天就走。」她沒有回答。", ["他說：「我明天就走。」", "她沒有回答。"]),
    ("部長說：「我們明天就走。」記者沒有再問。", ["部長說：「我們明天就走。」", "記者沒有再問。"]),
    ("他说：“我明天就走。”她没有回答。", ["他说：“我明天就走。”", "她没有回答。"]),
    ("部长说：“我们明天就走。”记者没有再问。", ["部长说：“我们明天就走。”", "记者没有再问。"]),
    # negated, or nobody speaking, with no speaker before the quotation
    ("“你明天去吗？”她没有回答。", ["“你明天去吗？”", "她没有回答。"]),
    ("「你明天去嗎？」她不回答。", ["「你明天去嗎？」", "她不回答。"]),
    ("“谁拿走了钥匙？”没人回答。", ["“谁拿走了钥匙？”", "没人回答。"]),
    ("“这是为什么？”他无法回答。", ["“这是为什么？”", "他无法回答。"]),
    ("“门外是谁？”他没答，只是摇头。", ["“门外是谁？”", "他没答，只是摇头。"]),
    ("“火车几点到？”她不知道。", ["“火车几点到？”", "她不知道。"]),  # 知道 is to know, not 道 to say
    ("“谁去开门？”没有人回答。", ["“谁去开门？”", "没有人回答。"]),
    # the quotation's speaker came before it: the clause after it is a reply
    ("他问：“你明天去吗？”她回答，“去。”", ["他问：“你明天去吗？”", "她回答，“去。”"]),
    ("記者問：「何時出發？」部長答，「明天。」", ["記者問：「何時出發？」", "部長答，「明天。」"]),
    ("老师说，“安静！”学生们都说。", ["老师说，“安静！”", "学生们都说。"]),
])
def test_a_clause_that_names_no_speaker_of_the_quotation_starts_a_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text, "zh-Hant" if "「" in text else "zh-Hans") == sentences
    assert "".join(sentences) == text


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Das gilt z. B. für Kinder. Das ist gut.", "de", ["Das gilt z. B. für Kinder.", "Das ist gut."]),
    ("Am 3. Oktober 1990 kam die Einheit. Alle feierten.", "de", ["Am 3. Oktober 1990 kam die Einheit.", "Alle feierten."]),
    ("Es geschah im 19. Jahrhundert in Berlin.", "de", ["Es geschah im 19. Jahrhundert in Berlin."]),
    ("He works at Apple Inc. His boss is Tim.", "en", ["He works at Apple Inc.", "His boss is Tim."]),
    ("This was shown by Smith et al. The results were clear.", "en", ["This was shown by Smith et al.", "The results were clear."]),
    ("See Smith et al. for details.", "en", ["See Smith et al. for details."]),
    ("In 2019. October came.", "en", ["In 2019.", "October came."]),  # the German ordinal rule is German's
    ("He moved to the U.S. Later he returned.", "en", ["He moved to the U.S.", "Later he returned."]),
    ("The U.S. Senate voted.", "en", ["The U.S. Senate voted."]),
])
def test_abbreviations_and_ordinals_the_field_writes(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Er sagte: „Ich komme morgen.“ Dann ging er.", "de", ["Er sagte: „Ich komme morgen.“", "Dann ging er."]),
    ("Il a dit : « Je viens demain. » Puis il est parti.", "fr", ["Il a dit : « Je viens demain. »", "Puis il est parti."]),
    ("« Arrêtez ! » Puis il partit.", "fr", ["« Arrêtez ! »", "Puis il partit."]),
])
def test_german_and_french_quotations_close_a_sentence(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "paragraphs"), [
    ("To install the device:\n1. Open the box\n2. Remove the device\n3. Plug it in",
     ["To install the device:", "1. Open the box", "2. Remove the device", "3. Plug it in"]),
    ("Bring:\n- bread\n- cheese", ["Bring:", "- bread", "- cheese"]),
    ("步骤如下：\n（一）打开盒子\n（二）取出设备", ["步骤如下：", "（一）打开盒子", "（二）取出设备"]),
    ("A line wrapped\nhere and - not an item.\nNext line.", ["A line wrapped here and - not an item. Next line."]),
    ("It costs about\n3.5 dollars and\n1.5 euros.", ["It costs about 3.5 dollars and 1.5 euros."]),  # a number, no label
    ("It is shown (see figure\n3) below.", ["It is shown (see figure 3) below."]),  # 3) closes a bracket
    # Chinese labels with no space after them: each item its own paragraph, no space put in
    ("清单有三项：\n1.核对账目。\n2.更新密码。", ["清单有三项：", "1.核对账目。", "2.更新密码。"]),
    ("清单有三项：\n1、核对账目。\n2、更新密码。", ["清单有三项：", "1、核对账目。", "2、更新密码。"]),
    ("清单有三项：\n１．核对账目。\n２．更新密码。", ["清单有三项：", "１．核对账目。", "２．更新密码。"]),
    ("清单有三项：\n1）核对账目。\n2）更新密码。", ["清单有三项：", "1）核对账目。", "2）更新密码。"]),
    ("清单有三项：\n・核对账目。\n・更新密码。", ["清单有三项：", "・核对账目。", "・更新密码。"]),
    ("清单有三项：\n（1）核对账目。\n（2）更新密码。", ["清单有三项：", "（1）核对账目。", "（2）更新密码。"]),
    ("清单有三项：\n一、核对账目。\n二、更新密码。", ["清单有三项：", "一、核对账目。", "二、更新密码。"]),
    # a label and a short heading after it stand alone; the ideographic space inside a line stays
    ("一、总则\n第一条　为了管理账目，制定本办法。", ["一、总则", "第一条　为了管理账目，制定本办法。"]),
])
def test_a_list_written_one_item_a_line_keeps_its_items(text: str, paragraphs: list[str]) -> None:
    assert split_paragraphs(text) == paragraphs


@pytest.mark.parametrize(("text", "sentences"), [
    ("- Sure. - Let us go!", ["- Sure.", "- Let us go!"]),  # two speakers in one subtitle cue
    ("It is late. — Yes, it is.", ["It is late.", "— Yes, it is."]),
    ("He stopped. - and then left.", ["He stopped. - and then left."]),
    ("The range is 5 - 10 km.", ["The range is 5 - 10 km."]),
])
def test_a_dialogue_dash_starts_the_next_speakers_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text, "en") == sentences


def test_a_japanese_quotation_goes_on_with_its_quotative() -> None:
    assert split_sentences("「こんにちは！」と彼は言った。次の日。", "ja") == ["「こんにちは！」と彼は言った。", "次の日。"]
    assert split_sentences("彼は「行きます。」と答えた。", "ja") == ["彼は「行きます。」と答えた。"]


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Siehe Nr. 5 der Liste.", "de", ["Siehe Nr. 5 der Liste."]),
    ("Das steht auf S. 12 ganz unten.", "de", ["Das steht auf S. 12 ganz unten."]),
    ("Abb. 3 zeigt den Aufbau.", "de", ["Abb. 3 zeigt den Aufbau."]),
    ("Der Brief steht in Bd. 2 der Werke.", "de", ["Der Brief steht in Bd. 2 der Werke."]),
    ("Mehr dazu in Kap. 4 des Berichts.", "de", ["Mehr dazu in Kap. 4 des Berichts."]),
    ("Die Werte stehen in Tab. 1 oben.", "de", ["Die Werte stehen in Tab. 1 oben."]),
    ("Vgl. S. 7 im Anhang.", "de", ["Vgl. S. 7 im Anhang."]),
    ("Es kamen ca. 30 Personen.", "de", ["Es kamen ca. 30 Personen."]),
    ("Der Eintritt kostet Fr. 7.- pro Person.", "de", ["Der Eintritt kostet Fr. 7.- pro Person."]),  # Swiss francs
    ("Der Eintritt kostet Fr. 7.50 pro Person.", "de", ["Der Eintritt kostet Fr. 7.50 pro Person."]),
    ("Voir p. 12 du rapport.", "fr", ["Voir p. 12 du rapport."]),
    ("Voir le n° 5 et le no 6 de la liste.", "fr", ["Voir le n° 5 et le no 6 de la liste."]),
    ("Voir vol. 3 de la série.", "fr", ["Voir vol. 3 de la série."]),
    ("Voir le chap. 2 du livre.", "fr", ["Voir le chap. 2 du livre."]),
    ("Voir la fig. 4 ci-dessous.", "fr", ["Voir la fig. 4 ci-dessous."]),
    ("See p. 12 and pp. 3-5 of the report.", "en", ["See p. 12 and pp. 3-5 of the report."]),
    ("See No. 5 and Fig. 2 in vol. 3, ch. 4.", "en", ["See No. 5 and Fig. 2 in vol. 3, ch. 4."]),
])
def test_a_number_after_an_abbreviation_does_not_start_a_sentence(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # a number after a numbering abbreviation is a count, not a German ordinal
    ("Er wohnt in Haus Nr. 5. Dann ging er.", "de", ["Er wohnt in Haus Nr. 5.", "Dann ging er."]),
    ("Das steht auf S. 12. Dann folgt mehr.", "de", ["Das steht auf S. 12.", "Dann folgt mehr."]),
    ("Der Eintritt kostet 7 Fr. Dann gingen wir.", "de", ["Der Eintritt kostet 7 Fr.", "Dann gingen wir."]),  # francs after the amount
    ("He scored 5. Then he left.", "en", ["He scored 5.", "Then he left."]),
    ("He lives at No. 5. Then he moved.", "en", ["He lives at No. 5.", "Then he moved."]),
])
def test_a_stop_after_the_number_still_ends_the_sentence(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Details at https://example.org/a.html. The next sentence.", "en",
     ["Details at https://example.org/a.html.", "The next sentence."]),
    ("See www.example.co.uk/x.y. Next time bring it.", "en",  # x.y is no acronym here
     ["See www.example.co.uk/x.y.", "Next time bring it."]),
    ("The code is on example.com/a.b. Next week it moves.", "en",
     ["The code is on example.com/a.b.", "Next week it moves."]),
    ("Read https://en.wikipedia.org/wiki/U.S. Several pages follow.", "en",
     ["Read https://en.wikipedia.org/wiki/U.S.", "Several pages follow."]),
    ("Details unter https://example.org/seite/12. Dann folgt mehr.", "de",  # 12 is no ordinal here
     ["Details unter https://example.org/seite/12.", "Dann folgt mehr."]),
    ("Write to info@example.org. The reply comes in a day.", "en",
     ["Write to info@example.org.", "The reply comes in a day."]),
    ("Schreiben Sie an info@example.org. Wir antworten bald.", "de",
     ["Schreiben Sie an info@example.org.", "Wir antworten bald."]),
    # inside a sentence a URL's dots split nothing
    ("See www.example.co.uk/x.y for more.", "en", ["See www.example.co.uk/x.y for more."]),
    ("Write to info@example.org or call.", "en", ["Write to info@example.org or call."]),
])
def test_a_url_or_address_ending_a_sentence_keeps_its_dots_and_gives_the_stop(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # a title as written before a name; the same letters end a sentence in capitals or after an amount
    ("Fr. Müller kam spät. Sie setzte sich.", "de", ["Fr. Müller kam spät.", "Sie setzte sich."]),
    ("Das kostet 7.50 Fr. Dann gingen wir.", "de", ["Das kostet 7.50 Fr.", "Dann gingen wir."]),
    ("Fr. Brown said mass. Then he left.", "en", ["Fr. Brown said mass.", "Then he left."]),
    ("Er sprach mit Hr. Meier.", "de", ["Er sprach mit Hr. Meier."]),
    ("Please contact HR. They will help.", "en", ["Please contact HR.", "They will help."]),
    ("Dipl.-Ing. Weber und Prof. Dr. Braun sprachen.", "de", ["Dipl.-Ing. Weber und Prof. Dr. Braun sprachen."]),
    ("He sold it to ING. The bank paid.", "en", ["He sold it to ING.", "The bank paid."]),
    ("Le Pr. Martin et le Dr Roux ont parlé.", "fr", ["Le Pr. Martin et le Dr Roux ont parlé."]),
    ("It was all PR. The facts came later.", "en", ["It was all PR.", "The facts came later."]),
    ("MM. Dupont et Durand sont venus.", "fr", ["MM. Dupont et Durand sont venus."]),
    ("The wall is 5 mm. The door is wide.", "en", ["The wall is 5 mm.", "The door is wide."]),
    ("Он живёт в г. Москва. Она живёт в Киеве.", "ru", ["Он живёт в г. Москва.", "Она живёт в Киеве."]),
    ("Это было в 1990 г. Потом всё изменилось.", "ru", ["Это было в 1990 г.", "Потом всё изменилось."]),
])
def test_a_title_before_a_name_is_no_sentence_end_but_a_unit_after_an_amount_may_be(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Hr. Meier und Frl. Schmidt kamen. Wir danken Hrn. Meier. Er half.", "de",
     ["Hr. Meier und Frl. Schmidt kamen.", "Wir danken Hrn. Meier.", "Er half."]),
    ("M. Dupont et Mme. Durand sont venus. Mlle. Roy est partie.", "fr",
     ["M. Dupont et Mme. Durand sont venus.", "Mlle. Roy est partie."]),
    ("El Sr. García y la Sra. López llegaron. Después se fueron.", "es",
     ["El Sr. García y la Sra. López llegaron.", "Después se fueron."]),
    ("La Srta. Ruiz y Dña. Carmen hablaron. La Dra. Pérez llegó. El Lic. Gómez también.", "es",
     ["La Srta. Ruiz y Dña. Carmen hablaron.", "La Dra. Pérez llegó.", "El Lic. Gómez también."]),
    ("Vive en EE. UU. desde 1990.", "es", ["Vive en EE. UU. desde 1990."]),
    ("Vive en EE. UU. Después volvió.", "es", ["Vive en EE. UU.", "Después volvió."]),
    ("O Sr. Silva e a Sra. Costa chegaram. Depois saíram.", "pt",
     ["O Sr. Silva e a Sra. Costa chegaram.", "Depois saíram."]),
    ("Il Sig. Rossi e il Dott. Verdi sono arrivati. Poi sono partiti.", "it",
     ["Il Sig. Rossi e il Dott. Verdi sono arrivati.", "Poi sono partiti."]),
    ("Gentili Sigg. Rossi, vi scriviamo.", "it", ["Gentili Sigg. Rossi, vi scriviamo."]),
    # an elided article or preposition before the title (l’Avv., dell’Ing.)
    ("Ha parlato dell'Ing. Rossi e l’Avv. Neri. Poi è partito.", "it",
     ["Ha parlato dell'Ing. Rossi e l’Avv. Neri.", "Poi è partito."]),
    ("I met L'Oréal. They sell.", "en", ["I met L'Oréal.", "They sell."]),
    ("We ate at Bill's. 5 of us went.", "en", ["We ate at Bill's.", "5 of us went."]),  # elided before a vowel only
    ("Dhr. Jansen en mevr. De Vries kwamen. We spraken met dhr. Jansen. Hij was blij.", "nl",
     ["Dhr. Jansen en mevr. De Vries kwamen.", "We spraken met dhr. Jansen.", "Hij was blij."]),
    ("Drs. Bakker kwam. Daarna ging hij.", "nl", ["Drs. Bakker kwam.", "Daarna ging hij."]),
    ("Mieszka przy ul. Marszałkowskiej. Pracuje w centrum.", "pl",
     ["Mieszka przy ul. Marszałkowskiej.", "Pracuje w centrum."]),
    ("Byli tam m.in. Kowalski i mgr Nowak. Stolica, tzn. Warszawa, rośnie.", "pl",
     ["Byli tam m.in. Kowalski i mgr Nowak.", "Stolica, tzn. Warszawa, rośnie."]),
    ("Lubię miasta, np. Kraków. Stolica, tj. Warszawa, rośnie.", "pl",
     ["Lubię miasta, np. Kraków.", "Stolica, tj. Warszawa, rośnie."]),
    ("Doç. Dr. Mehmet konuştu. Sonra gitti.", "tr", ["Doç. Dr. Mehmet konuştu.", "Sonra gitti."]),
    ("Проф. Иванов и акад. Петров выступили. Он живёт на ул. Ленина. Там тихо.", "ru",
     ["Проф. Иванов и акад. Петров выступили.", "Он живёт на ул. Ленина.", "Там тихо."]),
    # им. (имени) is also the pronoun "them", which ends sentences: left to end one
    ("Я верю им. Они хорошие.", "ru", ["Я верю им.", "Они хорошие."]),
])
def test_titles_and_abbreviations_of_other_languages_do_not_end_a_sentence(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # an abbreviation spelt with a space is looked up whole
    ("Das gilt für Junge, d. h. Kinder unter 12.", "de", ["Das gilt für Junge, d. h. Kinder unter 12."]),
    ("Das gilt v. a. Kinder. Alte nicht.", "de", ["Das gilt v. a. Kinder.", "Alte nicht."]),
    ("Hay ciudades grandes, p. ej. Madrid y Barcelona.", "es", ["Hay ciudades grandes, p. ej. Madrid y Barcelona."]),
    ("Hay ciudades, p.ej. Madrid. Luego hay pueblos.", "es", ["Hay ciudades, p.ej. Madrid.", "Luego hay pueblos."]),
    ("Des villes, p. ex. Paris et Lyon.", "fr", ["Des villes, p. ex. Paris et Lyon."]),
    ("Столица, т. е. Москва, растёт.", "ru", ["Столица, т. е. Москва, растёт."]),
    ("Столица, т.е. Москва, растёт.", "ru", ["Столица, т.е. Москва, растёт."]),
    # one that ends a list may end the sentence, spaced or not, in any language
    ("Мы купили хлеб и т. д. Потом ушли.", "ru", ["Мы купили хлеб и т. д.", "Потом ушли."]),
    ("Мы купили хлеб и т.д. Потом ушли.", "ru", ["Мы купили хлеб и т.д.", "Потом ушли."]),
    ("Compramos pan, leche, etc. Luego volvimos.", "es", ["Compramos pan, leche, etc.", "Luego volvimos."]),
    ("Compramos pan, leche, etc. y volvimos.", "es", ["Compramos pan, leche, etc. y volvimos."]),
    ("We bought apples, pears, etc. The rest was sold.", "en", ["We bought apples, pears, etc.", "The rest was sold."]),
    ("Wir kauften Brot usw. Dann gingen wir.", "de", ["Wir kauften Brot usw.", "Dann gingen wir."]),
])
def test_abbreviations_spelt_with_a_space_and_those_ending_a_list(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Kap. IV behandelt die Grundlagen.", "de", ["Kap. IV behandelt die Grundlagen."]),
    ("Das steht in Bd. II der Werke, S. XIV im Vorwort.", "de", ["Das steht in Bd. II der Werke, S. XIV im Vorwort."]),
    ("Voir le chap. XII du livre.", "fr", ["Voir le chap. XII du livre."]),
    ("Vedi cap. IV del libro.", "it", ["Vedi cap. IV del libro."]),
    ("См. гл. IV и рис. 3.", "ru", ["См. гл. IV и рис. 3."]),
    ("Er las Kap. IV. Dann schlief er.", "de", ["Er las Kap. IV.", "Dann schlief er."]),
    ("He said no. Ivan left.", "en", ["He said no.", "Ivan left."]),
    # a lone I is a numeral before a stop, comma or bracket, outside English
    ("Das steht in Bd. I, S. 12.", "de", ["Das steht in Bd. I, S. 12."]),
    ("Das steht in Bd. V der Werke.", "de", ["Das steht in Bd. V der Werke."]),  # another letter before a word too
    ("Das steht im Bd. I. Dann folgt Bd. II.", "de", ["Das steht im Bd. I.", "Dann folgt Bd. II."]),
    ("He said no. I left.", "en", ["He said no.", "I left."]),
    ("He said no. I, too, left.", "en", ["He said no.", "I, too, left."]),
    ("He is a nice chap. I like him.", "en", ["He is a nice chap.", "I like him."]),
    ("Ha detto di no. I bambini sono andati.", "it", ["Ha detto di no.", "I bambini sono andati."]),
])
def test_a_roman_numeral_after_a_numbering_abbreviation_does_not_start_a_sentence(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    ("Véase el cap. 3 y la pág. 12 del libro.", "es", ["Véase el cap. 3 y la pág. 12 del libro."]),
    ("Vedi pag. 12 del libro.", "it", ["Vedi pag. 12 del libro."]),
    ("Zie blz. 12 van het rapport. Daarna volgt meer.", "nl", ["Zie blz. 12 van het rapport.", "Daarna volgt meer."]),
    ("Voir le t. 2 de la série.", "fr", ["Voir le t. 2 de la série."]),
    ("Było ok. 30 osób. Potem wyszli.", "pl", ["Było ok. 30 osób.", "Potem wyszli."]),
    ("Это т. 2, с. 15, стр. 8 собрания.", "ru", ["Это т. 2, с. 15, стр. 8 собрания."]),
    ("Ул. Ленина, д. 5, кв. 12. Звоните.", "ru", ["Ул. Ленина, д. 5, кв. 12.", "Звоните."]),
    # Turkish writes ordinals with a dot, as German does
    ("Savaş 1914'te başlayan 1. Dünya Savaşı idi.", "tr", ["Savaş 1914'te başlayan 1. Dünya Savaşı idi."]),
    ("Yıl 1923. Cumhuriyet ilan edildi.", "tr", ["Yıl 1923.", "Cumhuriyet ilan edildi."]),
    ("Bina No. 5. Sonra gittik.", "tr", ["Bina No. 5.", "Sonra gittik."]),
])
def test_numbers_after_abbreviations_and_ordinals_of_other_languages(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # Arabic ؟ is a question mark
    ("هل أنت بخير؟ نعم، أنا بخير.", "ar", ["هل أنت بخير؟", "نعم، أنا بخير."]),
    ("قال: «هل أنت بخير؟» ثم ذهب.", "ar", ["قال: «هل أنت بخير؟»", "ثم ذهب."]),
    ("قرأ «لماذا؟ هكذا» مرتين.", "ar", ["قرأ «لماذا؟ هكذا» مرتين."]),
    ("سأل «لماذا؟ متى؟» ثم سكت.", "ar", ["سأل «لماذا؟", "متى؟»", "ثم سكت."]),  # as “Stop! Thief!” He ran.
    ("قال د. أحمد إن السعر 3.5 دولار. ثم غادر.", "ar", ["قال د. أحمد إن السعر 3.5 دولار.", "ثم غادر."]),
    # decimals, ellipses, quotes after the stop, inverted marks
    ("¿Vienes? ¡Claro que sí! Cuesta 3,50 euros.", "es", ["¿Vienes?", "¡Claro que sí!", "Cuesta 3,50 euros."]),
    ("Dijo: «No vengo.» Luego esperó... Y se fue.", "es", ["Dijo: «No vengo.»", "Luego esperó...", "Y se fue."]),
    ("Ele disse: “Não vou.” Depois saiu.", "pt", ["Ele disse: “Não vou.”", "Depois saiu."]),
    ("Het kost 3,50 euro. Hij kwam o.a. uit Amsterdam.", "nl", ["Het kost 3,50 euro.", "Hij kwam o.a. uit Amsterdam."]),
    ("А. С. Пушкин родился в Москве. Он сказал: «Я приду». — Привет!", "ru",
     ["А. С. Пушкин родился в Москве.", "Он сказал: «Я приду».", "— Привет!"]),
    ("Fiyatı 3,5 lira. Geldi mi? Evet, geldi!", "tr", ["Fiyatı 3,5 lira.", "Geldi mi?", "Evet, geldi!"]),
    ("정말요? 가격은 3.5달러다. 그는 “가자.”라고 했다. 기다렸다... 그리고 떠났다.", "ko",
     ["정말요?", "가격은 3.5달러다.", "그는 “가자.”라고 했다.", "기다렸다...", "그리고 떠났다."]),
    ("価格は3.5ドルです！本当？『吾輩は猫である』を読んだ。待って……。行こう。", "ja",
     ["価格は3.5ドルです！", "本当？", "『吾輩は猫である』を読んだ。", "待って……。", "行こう。"]),
    ("「本当ですか？」「はい。」", "ja", ["「本当ですか？」", "「はい。」"]),
    # Thai marks no sentence end: a paragraph stays one sentence, its decimals and quotes intact
    ("วันนี้อากาศดี ราคา 3.5 บาท เขาพูดว่า \"สวัสดี\" แล้วก็ไป", "th",
     ["วันนี้อากาศดี ราคา 3.5 บาท เขาพูดว่า \"สวัสดี\" แล้วก็ไป"]),
])
def test_stops_quotes_and_numbers_of_the_other_encoder_languages(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # a citation's year or reference after et al. goes on with it; a capital after et al. may start a sentence
    ("Smith et al. (2019) showed that it works.", "en", ["Smith et al. (2019) showed that it works."]),
    ("Smith et al. [12] and Smith et al. 2019 showed it.", "en", ["Smith et al. [12] and Smith et al. 2019 showed it."]),
    ("It works (Smith et al., 2019). Smith et al. reported it.", "en",
     ["It works (Smith et al., 2019).", "Smith et al. reported it."]),
    ("It was shown by Smith et al. (The proof is long.)", "en", ["It was shown by Smith et al.", "(The proof is long.)"]),
    # German amounts go on before a currency or unit, not before another capital
    ("Der Umsatz lag bei 5 Mio. Euro, der Gewinn bei 3 Mrd. Fr. im Jahr.", "de",
     ["Der Umsatz lag bei 5 Mio. Euro, der Gewinn bei 3 Mrd. Fr. im Jahr."]),
    ("Es kamen 2 Tsd. Besucher.", "de", ["Es kamen 2 Tsd. Besucher."]),
    ("Der Umsatz lag bei 5 Mio. Das war viel.", "de", ["Der Umsatz lag bei 5 Mio.", "Das war viel."]),
    # a date with a Roman month goes on with its year
    ("Er kam am 3. IV. 1990 an.", "de", ["Er kam am 3. IV. 1990 an."]),
    ("Er kam am 3. IV. Dann ging er.", "de", ["Er kam am 3. IV.", "Dann ging er."]),
    # a Dutch elided article starts a sentence with the capital after it
    ("Hij kwam thuis. 's Avonds at hij. ’t Was laat.", "nl", ["Hij kwam thuis.", "'s Avonds at hij.", "’t Was laat."]),
    ("Hij woont in Breda. 's-Hertogenbosch ligt verder.", "nl", ["Hij woont in Breda.", "'s-Hertogenbosch ligt verder."]),
    ("Hij kwam thuis. 's avonds at hij.", "nl", ["Hij kwam thuis. 's avonds at hij."]),
    # a Polish company's o.o. ends a sentence before a capital
    ("Firma Sp. z o.o. Została założona w 1990.", "pl", ["Firma Sp. z o.o.", "Została założona w 1990."]),
    ("Firma Sp. z o.o. została założona w 1990.", "pl", ["Firma Sp. z o.o. została założona w 1990."]),
    # a Turkish Roman ordinal before a name; not one that an abbreviation numbers, nor German's after a name
    ("Sultan II. Mehmet İstanbul'u fethetti.", "tr", ["Sultan II. Mehmet İstanbul'u fethetti."]),
    ("Önsöz s. XIV. Sonra metin başlıyor.", "tr", ["Önsöz s. XIV.", "Sonra metin başlıyor."]),
    ("Wilhelm II. war Kaiser. Kaiser war Wilhelm II. Er starb 1941.", "de",
     ["Wilhelm II. war Kaiser.", "Kaiser war Wilhelm II.", "Er starb 1941."]),
    ("Kap. IV. Dort steht es.", "de", ["Kap. IV.", "Dort steht es."]),
])
def test_citations_amounts_roman_dates_and_ordinals_elided_articles_and_company_names(
    text: str, lang: str, sentences: list[str]
) -> None:
    assert split_sentences(text, lang) == sentences


@pytest.mark.parametrize(("text", "sentences"), [
    # a word that is an abbreviation in another language ends an English sentence
    ("Everything was ok. 5 people came later.", ["Everything was ok.", "5 people came later."]),  # Polish około
    ("He was at gate t. 4 more arrived.", ["He was at gate t.", "4 more arrived."]),  # French tome
    ("We tested it on Ul. The rest failed.", ["We tested it on Ul.", "The rest failed."]),  # Polish ulica
    ("See the EE. The rest is there.", ["See the EE.", "The rest is there."]),  # Spanish EE. UU.
    ("The problem is NP. The proof is hard.", ["The problem is NP.", "The proof is hard."]),  # Polish na przykład
    ("We paid the tab. 20 minutes later we left.", ["We paid the tab.", "20 minutes later we left."]),  # German Tab.
    ("He wore a cap. 5 men laughed.", ["He wore a cap.", "5 men laughed."]),  # Spanish capítulo
    ("It took an Hr. Then he left.", ["It took an Hr.", "Then he left."]),  # German Herr
    # a letter after a numbering abbreviation is a pronoun or an initial in English, not a numeral
    ("He said no. X marks the spot.", ["He said no.", "X marks the spot."]),
    ("He said no. C. S. Lewis agreed.", ["He said no.", "C. S. Lewis agreed."]),
    # those of every language hold English sentences as before
    ("Mr. T. Smith came. He sat.", ["Mr. T. Smith came.", "He sat."]),
    ("Under Art. IV the court ruled.", ["Under Art. IV the court ruled."]),
    ("We met Drs. Smith and Jones.", ["We met Drs. Smith and Jones."]),
    ("We bought pears, etc. Mary came.", ["We bought pears, etc.", "Mary came."]),
])
def test_abbreviations_of_other_languages_do_not_hold_english_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text, "en") == sentences


@pytest.mark.parametrize(("text", "lang", "sentences"), [
    # a language's abbreviations are found by its primary subtag in any case
    ("Es kamen 2 Tsd. Besucher.", "de-CH", ["Es kamen 2 Tsd. Besucher."]),
    ("Mieszka przy ul. Marszałkowskiej. Pracuje w centrum.", "PL-pl",
     ["Mieszka przy ul. Marszałkowskiej.", "Pracuje w centrum."]),
])
def test_a_languages_abbreviations_are_found_by_its_primary_subtag(text: str, lang: str, sentences: list[str]) -> None:
    assert split_sentences(text, lang) == sentences
