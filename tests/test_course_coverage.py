"""The chapters keep covering the course notes.

A guard against regressions, not a proof of coverage: for every chapter it
checks that the notes' key Chinese terms still appear in the chapter's
markdown (the book writes "vanishing gradient (梯度消失)" on first use), and
that the chapter keeps the shape CONTRIBUTING.md asks for: learning objectives
at the start, a summary at the end, and exercises written with sphinx-exercise
(``{exercise}`` directives, each followed by its ``{solution}``, or by a
``{solution-start}`` ... ``{solution-end}`` pair around code cells, hidden in
a dropdown until the reader opens it).

The term lists were derived from ``/work/shared/notes/course-notes.zh.md``
(headings, list items and the key phrases of each claim) and contain only the
terms the chapters use today. When a chapter starts to cover a further term of
the notes, add it here; when a term disappears on purpose, remove it here in
the same change.

Text is compared after Unicode NFKC normalization, so a quotation copied from
the notes with their Kangxi-radical look-alikes (⽤, ⼤, ⽹ ...) or full-width
punctuation still matches.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from tests._book import toc_notebooks

# Chapter (notebook stem) -> the notes' terms its markdown must contain.
KEY_TERMS: dict[str, tuple[str, ...]] = {
    # 简介
    "01_introduction": (
        "简介", "人工智能", "机器学习", "深度学习", "人工设计特征并进行特征提取",
        "常见神经网络", "卷积神经网络", "循环神经网络", "生成对抗网络", "深度强化网络",
        "优点", "精度高", "可以近似任意非线性函数", "有大量库和框架可调用",
        "缺点", "无法建模", "训练成本高", "超参数", "需要大量数据集", "过拟合",
    ),
    # 神经元
    "02_neurons": (
        "神经元", "输入", "权重", "偏置", "输出", "激活函数",
        "网络中没有循环", "只向着一个方向移动", "输入层", "输出层", "隐藏层",
        "同一层神经元之间没有连接", "前一层神经元的输出就是后一层神经元的输入",
    ),
    # 激活函数, all subsections and 激活函数的选择
    "03_activations": (
        "激活函数", "神经元",
        "sigmoid函数", "处处可导", "梯度消失", "反向传播", "以0为中心", "二分类的输出层",
        "双曲正切", "减少迭代次数", "饱和",
        "ReLU函数", "最常用", "保持梯度不衰减", "神经元死亡", "计算量节省很多",
        "无法完成深层网络的训练", "稀疏性", "减少了参数的相互依存关系", "缓解了过拟合",
        "Leaky_ReLU函数", "softmax函数", "多分类",
        "激活函数的选择", "隐藏层", "输出层", "优先选ReLU", "注意神经元死亡",
        "效果不好尝试leaky_ReLU", "不要使用sigmoid", "可以尝试tanh",
        "二分类用sigmoid", "多分类用softmax", "回归问题用identity",
    ),
    # 参数初始化, all subsections
    "04_initialization": (
        "参数初始化", "收敛速度", "对权重参数w的不停迭代更新", "梯度消失", "梯度爆炸",
        "权重", "偏置", "随机初始化", "高斯分布", "标准初始化", "均匀分布",
        "Xavier初始化", "稳定", "方差", "正态化Xavier初始化", "标准化Xavier初始化",
        "He初始化", "激活值的方差", "状态值的梯度的方差", "正态化He初始化",
        "标准化He初始化", "截断正态分布",
    ),
    # 损失函数, including 正则项的作用 and the Dropout quotation
    "05_losses": (
        "损失函数", "衡量模型参数质量", "比较网络输出与真实值输出的差异",
        "分类任务损失函数", "多分类任务", "交叉熵损失", "使用softmax将logits转换为概率",
        "softmax损失", "衡量p、q之间差异性",
        "二分类任务", "使用sigmoid激活函数", "二分类的交叉熵损失函数",
        "回归任务损失函数", "MAE损失函数", "绝对误差", "稀疏性", "作为正则项",
        "在零点不平滑", "跳过极小值",
        "MSE损失函数", "欧氏距离", "当预测值与目标值相差很大时，梯度容易爆炸",
        "smooth L1损失函数", "分段函数", "离群点梯度爆炸", "目标检测",
        "正则项的作用", "惩罚复杂的模型来引导模型学习简单的特征", "稀疏的权重",
        "较小的权重", "减少模型对特定特征的依赖",
    ),
    # 正则项的作用 in depth, with the Dropout quotation
    "06_regularization": (
        "正则项", "正则项的作用", "过拟合", "泛化能力",
        "惩罚复杂的模型来引导模型学习简单的特征",
        "L1正则化", "稀疏的权重", "L2正则化", "较小的权重", "平滑",
        "减少模型对特定特征的依赖",
        "每个神经元一定的概率（一般0.5）被暂时从网络中移除",
        "保证了每个神经元的权重都不会太大",
    ),
    # 优化算法 / 梯度下降法
    "07_gradient_descent": (
        "优化算法", "梯度下降法", "梯度",
        "梯度的方向是函数增长速度最快的方向", "梯度的反方向就是函数减少最快的方向",
        "学习率",
    ),
    # Beyond the notes: the chapters below carry the usual Chinese terms of the field.
    "08_backpropagation": (
        "反向传播", "计算图", "链式法则", "前向传播", "梯度消失", "梯度爆炸", "雅可比矩阵",
        "全连接层",
    ),
    "09_optimizers": (
        "优化算法", "梯度下降法", "学习率", "动量", "条件数", "自适应梯度", "均方根传播",
        "自适应矩估计", "偏差修正", "学习率衰减", "权重衰减",
    ),
    "10_project_digits": (
        "手写数字识别", "训练集", "验证集", "测试集", "超参数", "数据泄露", "过拟合",
        "泛化能力", "学习率", "混淆矩阵", "卷积神经网络", "数据增强",
    ),
    "11_deep_training": (
        "过拟合", "欠拟合", "训练集", "验证集", "测试集", "早停", "梯度裁剪", "梯度爆炸",
        "梯度消失", "批量归一化", "残差连接", "雅可比矩阵", "学习率", "学习率范围测试",
        "学习率预热",
    ),
    "12_convolutional_networks": (
        "卷积神经网络", "卷积", "卷积层", "卷积核", "互相关", "特征图", "填充", "步幅",
        "权值共享", "局部连接", "池化", "最大池化", "平均池化", "感受野", "数据增强",
        "验证集", "测试集", "反向传播", "上游梯度",
    ),
}

# sphinx-exercise directives in MyST (colon or backtick fences), with their
# option lines: ``:::{exercise} Title`` / ``:label: ex-ch03-2``, and
# ``:::{solution} ex-ch03-2`` or ``:::{solution-start} ex-ch03-2`` /
# ``:class: dropdown``, closed by ``:::{solution-end}``.
_FENCE = r"^(?::{3,}|`{3,})"
_OPTIONS = r"((?:[ \t]*:[\w-]+:[^\n]*\n)*)"
EXERCISE = re.compile(_FENCE + r"\{exercise(?:-start)?\}[^\n]*\n" + _OPTIONS, re.MULTILINE)
SOLUTION = re.compile(
    _FENCE + r"\{solution(-start)?\}[ \t]+(\S+)[^\n]*\n" + _OPTIONS, re.MULTILINE
)
SOLUTION_END = re.compile(_FENCE + r"\{solution-end\}", re.MULTILINE)
OPTION = re.compile(r"^[ \t]*:([\w-]+):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
# The hand-written form the directives replaced: "**1.** ..." and admonition dropdowns.
HAND_WRITTEN = re.compile(
    r"^\*\*(?:Exercise\s+)?\d+\.|^:::\{admonition\}\s*Solution", re.MULTILINE
)
CJK = re.compile(r"[\u4e00-\u9fff]")

NOTEBOOKS = toc_notebooks()


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [_normalize("".join(cell["source"])) for cell in cells
            if cell["cell_type"] == "markdown"]


def _section(markdown: str, heading: str) -> str:
    """The text under the level-2 ``heading`` up to the next level-2 heading."""
    match = re.search(rf"^## {re.escape(heading)}\s*$", markdown, re.MULTILINE)
    if match is None:
        return ""
    rest = markdown[match.end():]
    following = re.search(r"^## ", rest, re.MULTILINE)
    return rest[: following.start()] if following else rest


def _level2_headings(markdown: str) -> list[str]:
    return [line[3:].strip() for line in markdown.splitlines() if line.startswith("## ")]


def test_every_chapter_of_the_book_has_a_term_list():
    assert NOTEBOOKS, "no chapters found in _toc.yml"
    assert [path.stem for path in NOTEBOOKS] == list(KEY_TERMS), (
        "the chapters of _toc.yml and the keys of KEY_TERMS differ: add the new "
        "chapter's notes terms to KEY_TERMS (or remove a chapter that is gone)"
    )


@pytest.mark.parametrize("stem", list(KEY_TERMS))
def test_chapter_keeps_the_notes_terms(stem):
    path = next(path for path in NOTEBOOKS if path.stem == stem)
    markdown = "\n".join(_markdown_cells(path))
    missing = [term for term in KEY_TERMS[stem] if _normalize(term) not in markdown]
    assert not missing, f"{path.name}: the notes' terms {missing} no longer appear in its markdown"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_chapter_title_names_the_notes_section(path):
    first = _markdown_cells(path)[0]
    title = next((line for line in first.splitlines() if line.startswith("# ")), "")
    assert title, f"{path.name}: the first markdown cell has no '# ' title"
    assert CJK.search(title), f"{path.name}: the title {title!r} lacks the notes' Chinese term"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_chapter_opens_with_learning_objectives(path):
    cells = _markdown_cells(path)
    markdown = "\n".join(cells)
    first_section = markdown.find("\n## ")
    opening = markdown if first_section < 0 else markdown[:first_section]
    match = re.search(r"learning objectives", opening, re.IGNORECASE)
    assert match, f"{path.name}: no 'Learning objectives' before the first section"
    objectives = opening[match.end():]
    assert re.search(r"^\s*- \S", objectives, re.MULTILINE), (
        f"{path.name}: the learning objectives are not a bulleted list"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_chapter_closes_with_summary_exercises_and_references(path):
    markdown = "\n".join(_markdown_cells(path))
    headings = _level2_headings(markdown)
    for heading in ("Summary", "Exercises", "References"):
        assert heading in headings, f"{path.name}: no '## {heading}' section"
    tail = headings[-3:]
    assert tail == ["Summary", "Exercises", "References"], (
        f"{path.name}: expected the chapter to end with Summary, Exercises, References; "
        f"its last sections are {tail}"
    )
    summary = _section(markdown, "Summary")
    assert len(summary.split()) >= 30, f"{path.name}: the summary is (nearly) empty"
    references = _section(markdown, "References")
    assert "```{bibliography}" in references and ":filter: docname in docnames" in references, (
        f"{path.name}: the References section must list the chapter's own works with a "
        "{bibliography} filtered by `docname in docnames` (entries in references.bib)"
    )


def _directives(exercises: str) -> list[tuple]:
    """The exercise, solution and solution-end directives of a section, in order."""
    found = [(m.start(), "exercise", dict(OPTION.findall(m.group(1))).get("label"), {})
             for m in EXERCISE.finditer(exercises)]
    found += [(m.start(), "solution-start" if m.group(1) else "solution", m.group(2),
               dict(OPTION.findall(m.group(3))))
              for m in SOLUTION.finditer(exercises)]
    found += [(m.start(), "solution-end", None, {}) for m in SOLUTION_END.finditer(exercises)]
    return [entry[1:] for entry in sorted(found)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_exercise_has_a_solution_hidden_until_toggled(path):
    exercises = _section("\n".join(_markdown_cells(path)), "Exercises")
    assert not HAND_WRITTEN.search(exercises), (
        f"{path.name}: write exercises with sphinx-exercise's {{exercise}} and {{solution}} "
        "directives, not as bold numbers and admonition dropdowns"
    )
    directives = _directives(exercises)
    labels = [label for kind, label, _ in directives if kind == "exercise"]
    assert labels, f"{path.name}: no exercise (a ':::{{exercise}}' directive) under '## Exercises'"
    assert all(labels), f"{path.name}: every exercise needs a ':label:' for its solution"
    assert len(set(labels)) == len(labels), f"{path.name}: duplicate exercise labels {labels}"
    # Each exercise is followed by exactly one solution to it, before the next exercise;
    # a gated solution is closed by {solution-end} before the next exercise.
    current, solved, gate_open = None, set(), False
    for kind, label, options in directives:
        if kind == "exercise":
            assert not gate_open, f"{path.name}: a {{solution-start}} before {label} is not closed"
            current = label
        elif kind == "solution-end":
            assert gate_open, f"{path.name}: a {{solution-end}} without its {{solution-start}}"
            gate_open = False
        else:
            assert label == current and label not in solved, (
                f"{path.name}: a solution to {label!r} follows exercise {current!r}; each "
                "exercise is followed by one solution to it"
            )
            assert "dropdown" in options.get("class", "").split(), (
                f"{path.name}: the solution to {label} is not hidden: give it ':class: dropdown'"
            )
            solved.add(label)
            gate_open = kind == "solution-start"
    assert not gate_open, f"{path.name}: the last {{solution-start}} has no {{solution-end}}"
    unsolved = [label for label in labels if label not in solved]
    assert not unsolved, f"{path.name}: exercises without a solution: {unsolved}"


BOOK_ROOT = Path(__file__).resolve().parent.parent
BIB_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
CITE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")


def _cited_keys(text: str) -> set[str]:
    keys = set()
    for target in CITE.findall(text):
        for key in target.split(","):
            # {cite:p}`{see}key{chapter 6}`: drop the pre- and post-text
            keys.add(re.sub(r"^\{[^}]*\}|\{[^}]*\}$", "", key.strip()))
    return keys


def test_every_work_in_references_bib_is_cited_in_a_chapter():
    bib_keys = set(BIB_KEY.findall((BOOK_ROOT / "references.bib").read_text(encoding="utf-8")))
    cited = set().union(*(_cited_keys("\n".join(_markdown_cells(path))) for path in NOTEBOOKS))
    uncited, missing = sorted(bib_keys - cited), sorted(cited - bib_keys)
    assert not uncited, f"references.bib entries that no chapter cites: {uncited}"
    assert not missing, f"cited keys missing from references.bib: {missing}"
